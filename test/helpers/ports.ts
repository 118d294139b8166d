import net, { type AddressInfo } from 'node:net';

/** A TCP port on 127.0.0.1 that nothing listens on right now (for tests that start a server process). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
