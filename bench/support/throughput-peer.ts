// Both ends of a throughput measurement, each run as its own process (the client may run inside a
// network namespace, through `ip netns exec`):
//   server <host> <port>                        serves until killed; prints "listening <port>" once bound (0: a free port)
//   client <host> <port> up|down <ms> [<local>]  one connection: sends (up) or receives (down) for
//                                                <ms>, prints {"bytes":…,"seconds":…}
//   idle <host> <port> <count> [<local>]         opens <count> connections, prints "open <n>",
//                                                holds them until stdin closes
// The server answers a connection's first line: "up" (it counts until the client ends, then
// writes the count) or "down <ms>" (it writes for that long, then ends); "idle" keeps it open.
import { connect, createServer, type Socket } from 'node:net';

const CHUNK = Buffer.alloc(256 * 1024, 0x61);
const [mode, host, portText, ...rest] = process.argv.slice(2);
const port = Number(portText);

if (mode === 'server') {
  const server = createServer((socket) => {
    let head = '';
    const onHead = (data: Buffer) => {
      head += data.toString('latin1');
      const end = head.indexOf('\n');
      if (end < 0) return;
      socket.off('data', onHead);
      const [verb, arg] = head.slice(0, end).split(' ');
      const after = Buffer.from(head.slice(end + 1), 'latin1').length;
      if (verb === 'up') {
        let bytes = after;
        socket.on('data', (chunk: Buffer) => (bytes += chunk.length));
        socket.on('end', () => socket.end(`${bytes}\n`));
      } else if (verb === 'down') {
        const until = Date.now() + Number(arg);
        const pump = () => {
          while (Date.now() < until) if (!socket.write(CHUNK)) return;
          socket.end();
        };
        socket.on('drain', pump);
        pump();
      }
    };
    socket.on('data', onHead);
    socket.on('error', () => undefined);
  });
  server.listen(port, host, () => console.log(`listening ${(server.address() as { port: number }).port}`));
} else if (mode === 'client') {
  const [direction, msText, localAddress] = rest;
  const ms = Number(msText);
  const socket = connect({ host, port, ...(localAddress ? { localAddress } : {}) });
  socket.on('error', (error) => {
    console.log(JSON.stringify({ error: error.message }));
    process.exit(1);
  });
  socket.once('connect', () => {
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    if (direction === 'up') {
      socket.write('up\n');
      const until = Date.now() + ms;
      const pump = () => {
        while (Date.now() < until) if (!socket.write(CHUNK)) return;
        socket.off('drain', pump);
        socket.end();
      };
      socket.on('drain', pump);
      let answer = '';
      socket.on('data', (data: Buffer) => (answer += data.toString()));
      socket.on('end', () => {
        console.log(JSON.stringify({ bytes: Number(answer.trim()), seconds: seconds() }));
        process.exit(0);
      });
      pump();
    } else {
      socket.write(`down ${ms}\n`);
      let bytes = 0;
      socket.on('data', (data: Buffer) => (bytes += data.length));
      socket.on('end', () => {
        console.log(JSON.stringify({ bytes, seconds: seconds() }));
        process.exit(0);
      });
    }
  });
} else if (mode === 'idle') {
  const [countText, localAddress] = rest;
  const count = Number(countText);
  const sockets: Socket[] = [];
  let open = 0;
  let failed = 0;
  const report = () => {
    if (open + failed === count) console.log(`open ${open}`);
  };
  for (let i = 0; i < count; i++) {
    const socket = connect({ host, port, ...(localAddress ? { localAddress } : {}) });
    sockets.push(socket);
    socket.once('connect', () => {
      socket.write('idle\n');
      open++;
      report();
    });
    socket.once('error', () => {
      failed++;
      report();
    });
  }
  process.stdin.resume();
  process.stdin.on('end', () => {
    for (const socket of sockets) socket.destroy();
    process.exit(0);
  });
} else {
  console.error(`unknown mode ${mode}`);
  process.exit(2);
}
