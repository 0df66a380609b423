/**
 * @module main/engine/service/entry
 * The engine service process. The same file runs under child_process.fork (child-host.ts: the CLI, tests, the
 * browser host) and Electron's utilityProcess.fork. It answers each call through the rpc envelope (payloads parsed
 * by their method's schema) and announces job events and raster registrations as notices.
 * Watchdog: when the parent is gone (IPC closed, even by SIGKILL), every call and job is cancelled through its own
 * cleanup, and if that has not finished within a second the partial files are removed and the process exits
 * anyway: an engine never outlives the process that started it.
 */
import { ContractError } from '../../../preload/contract.ts';
import { connectToParent } from '../rpc/parent-port.ts';
import { serveRpc } from '../rpc/rpc-server.ts';
import { EngineService } from './engine-service.ts';
import { isServiceMethod, ServiceMethods } from './protocol.ts';

const port = connectToParent();
const service = new EngineService({
  event: (event) => port.post({ kind: 'notice', topic: 'job-event', payload: event }, []),
  raster: (layerId, path) => port.post({ kind: 'notice', topic: 'raster', payload: { layerId, path } }, []),
});

const server = serveRpc(port, {
  where: 'engine service',
  handle: async (method, payload, ctx) => {
    if (!isServiceMethod(method)) throw new ContractError('engine call', `method ${Object.keys(ServiceMethods).join('|')}`, method);
    const request = ServiceMethods[method].request(payload, `engine ${method}`);
    // request was parsed by the method's own schema just above.
    return service.call(method, request as never, ctx);
  },
});

port.onParentGone(() => {
  service.abortAll();
  server.abortAll();
  const exit = () => {
    service.removePartials();
    process.exit(1);
  };
  setTimeout(exit, 1000);
  void server.idle().then(exit);
});

port.post({ kind: 'notice', topic: 'ready', payload: { pid: process.pid } }, []);
