/**
 * @module main/engine/methods/classical
 * The classical baselines, in the order the CLI lists them.
 */
import type { FusionMethod } from '../method.ts';
import { expMethod } from './exp.ts';

export const classicalMethods: readonly FusionMethod[] = [expMethod];
