/**
 * @module main/engine/methods/classical
 * The classical baselines, in the order the CLI lists them.
 */
import type { FusionMethod } from '../method.ts';
import { broveyMethod } from './brovey.ts';
import { expMethod } from './exp.ts';
import { gsaMethod } from './gsa.ts';
import { mtfGlpMethod } from './mtf-glp.ts';

export const classicalMethods: readonly FusionMethod[] = [expMethod, broveyMethod, gsaMethod, mtfGlpMethod];
