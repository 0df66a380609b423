/**
 * @module scripts/setup-cuda
 * `npm run setup:cuda [-- --target DIR]`: installs ONNX Runtime's CUDA execution provider for onnxruntime-node.
 * onnxruntime-node's own install step downloads CUDA binaries from outside the npm registry (it is skipped in
 * .npmrc); the same ORT 1.29.0 / CUDA 13 provider ships in an npm package, which this script fetches with
 * `npm pack`, checks against the pinned sha512, and unpacks beside onnxruntime-node's libonnxruntime.so.1.
 * Runtime needs CUDA 13 and cuDNN 9 libraries on the loader path (see README, "GPU").
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ortLibraryFolder } from '../main/engine/infer/ort-session.ts';

export const CUDA_PROVIDER_PACKAGE = 'com.github.asus4.onnxruntime.linux-x64-gpu@0.4.9';
/** npm's dist.integrity of that tarball. */
export const CUDA_PROVIDER_INTEGRITY = 'sha512-FopIhNE/Ng+v2X65wVc9clPCBCvhvA53Hxo2U0Kf5fGdVsC7iCA+mZ0KLWggcQAj7TIZ6pNidR4AC10g74Xo6w==';
export const PROVIDER_FILES = ['libonnxruntime_providers_cuda.so', 'libonnxruntime_providers_shared.so'];
const REQUIRED_ORT = '1.29.0';

export function installCudaProvider(target: string, log: (line: string) => void = console.log): string[] {
  const require = createRequire(import.meta.url);
  const ortVersion = (JSON.parse(readFileSync(require.resolve('onnxruntime-node/package.json'), 'utf8')) as { version: string }).version;
  if (ortVersion !== REQUIRED_ORT)
    throw new Error(`onnxruntime-node is ${ortVersion}; the CUDA provider in ${CUDA_PROVIDER_PACKAGE} is built for ${REQUIRED_ORT}`);
  if (!existsSync(target)) throw new Error(`target folder ${target} does not exist`);
  const work = mkdtempSync(join(tmpdir(), 'panforge-cuda-'));
  try {
    log(`setup:cuda: fetching ${CUDA_PROVIDER_PACKAGE} from the npm registry…`);
    const tarball = execFileSync('npm', ['pack', CUDA_PROVIDER_PACKAGE, '--pack-destination', work, '--silent'], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .pop()!;
    const tarPath = join(work, tarball);
    const integrity = `sha512-${createHash('sha512').update(readFileSync(tarPath)).digest('base64')}`;
    if (integrity !== CUDA_PROVIDER_INTEGRITY) {
      throw new Error(`checksum mismatch for ${tarball}: got ${integrity}, expected ${CUDA_PROVIDER_INTEGRITY}; not installing`);
    }
    log('setup:cuda: checksum ok (sha512 matches the pinned value)');
    execFileSync('tar', ['-xzf', tarPath, '-C', work, ...PROVIDER_FILES.map((f) => `package/Plugins/Linux/x64/${f}`)]);
    const installed: string[] = [];
    for (const file of PROVIDER_FILES) {
      const dest = join(target, file);
      copyFileSync(join(work, 'package/Plugins/Linux/x64', file), dest);
      const sha = createHash('sha256').update(readFileSync(dest)).digest('hex');
      log(`setup:cuda: installed ${dest} (sha256 ${sha})`);
      installed.push(dest);
    }
    log(
      'setup:cuda: CUDA 13 and cuDNN 9 libraries must be on the loader path (LD_LIBRARY_PATH); `panforge sharpen --device auto` then uses CUDA and says so, or falls back to CPU and says why.',
    );
    return installed;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const i = process.argv.indexOf('--target');
  const target = i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : ortLibraryFolder();
  try {
    installCudaProvider(target);
  } catch (err) {
    console.error(`setup:cuda: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}
