// A js-libp2p node speaking /perf/1.0.0 (libp2p/specs perf/perf.md), for Omnipeer's perf interop test and
// benchmarks. The npm registry reachable here does not serve @libp2p/perf, so the protocol is written out below on
// js-libp2p's own stream API (same TCP + Noise + yamux stack as peer.mjs).
//
// Usage:
//   node perf.mjs server [--listen /ip4/127.0.0.1/tcp/0]
//       prints {"event":"ready","peerId","addrs"} and serves perf until stdin closes
//   node perf.mjs client --addr MULTIADDR [--upload BYTES] [--download BYTES] [--streams K] [--runs R] [--warmup W]
//       dials once, runs W unreported then R reported rounds; a round opens K perf streams at once on that one
//       connection, each uploading and downloading the given bytes; prints one line a round:
//       {"event":"run","run","streams","uploadBytes","downloadBytes","seconds"} (byte counts summed over streams)
//   node perf.mjs connect --addr MULTIADDR [--runs R] [--warmup W]
//       per round: a new connection (TCP + multistream + Noise + yamux), one perf stream with a 1-byte upload
//       and a 1-byte download, then hang up; prints {"event":"connect","run","ms"} a round
// Every mode ends with {"event":"done"} (clients) and exits non-zero on an error (message on stderr).
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    listen: { type: 'string', default: '/ip4/127.0.0.1/tcp/0' },
    addr: { type: 'string' },
    upload: { type: 'string', default: '0' },
    download: { type: 'string', default: '0' },
    streams: { type: 'string', default: '1' },
    runs: { type: 'string', default: '1' },
    warmup: { type: 'string', default: '1' }
  }
})
const mode = positionals[0] ?? 'server'

const { createLibp2p } = await import('libp2p')
const { noise } = await import('@chainsafe/libp2p-noise')
const { yamux } = await import('@chainsafe/libp2p-yamux')
const { tcp } = await import('@libp2p/tcp')
const { multiaddr } = await import('@multiformats/multiaddr')

const PERF = '/perf/1.0.0'
/** Bytes per write, as the other perf implementations use. */
const BLOCK = 64 * 1024
/** Perf streams at once per connection, each way (a benchmark uses 16). */
const MAX_STREAMS = 64
const HEADER = 8
const ZEROS = new Uint8Array(BLOCK)

function emit (obj) {
  process.stdout.write(JSON.stringify(obj) + '\n')
}

async function send (stream, count) {
  let left = count
  while (left > 0) {
    const n = Math.min(left, BLOCK)
    if (!stream.send(ZEROS.subarray(0, n))) await stream.onDrain()
    left -= n
  }
}

/** Server steps 1-4: read the 8-byte count, drain until the client's FIN, send the count back, close. */
async function serve (stream) {
  try {
    let want = 0n
    let headerBytes = 0
    for await (const chunk of stream) {
      const bytes = chunk.subarray()
      for (let i = 0; i < bytes.length && headerBytes < HEADER; i++, headerBytes++) {
        want = (want << 8n) | BigInt(bytes[i])
      }
    }
    if (headerBytes < HEADER) throw new Error(`FIN after ${headerBytes} of ${HEADER} header bytes`)
    await send(stream, want > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(want))
    await stream.close()
  } catch (err) {
    process.stderr.write(`perf server: ${err.message}\n`)
    stream.abort(err)
  }
}

/** Client steps 1-5 on a new stream of `conn`; resolves with the bytes downloaded (checked against `down`). */
async function perfOnce (conn, up, down) {
  const stream = await conn.newStream(PERF, { maxOutboundStreams: MAX_STREAMS })
  const header = new Uint8Array(HEADER)
  new DataView(header.buffer).setBigUint64(0, BigInt(down), false)
  const writing = (async () => {
    if (!stream.send(header)) await stream.onDrain()
    await send(stream, up)
    await stream.close()
  })()
  let got = 0
  for await (const chunk of stream) got += chunk.byteLength
  await writing
  if (got !== down) throw new Error(`server sent ${got} bytes, ${down} asked`)
  return got
}

const node = await createLibp2p({
  addresses: { listen: mode === 'server' ? [opts.listen] : [] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  // A connect benchmark dials hundreds of connections a second from loopback; js-libp2p's default inbound
  // rate limit (5 a second per host) would refuse them.
  connectionManager: { maxConnections: 1024, inboundConnectionThreshold: 1_000_000 }
})
await node.handle(PERF, serve, { maxInboundStreams: MAX_STREAMS, maxOutboundStreams: MAX_STREAMS })
await node.start()

async function client () {
  const up = Number(opts.upload)
  const down = Number(opts.download)
  const k = Number(opts.streams)
  const warmup = Number(opts.warmup)
  const conn = await node.dial(multiaddr(opts.addr))
  for (let i = -warmup; i < Number(opts.runs); i++) {
    const started = performance.now()
    await Promise.all(Array.from({ length: k }, () => perfOnce(conn, up, down)))
    const seconds = (performance.now() - started) / 1000
    if (i >= 0) emit({ event: 'run', run: i, streams: k, uploadBytes: up * k, downloadBytes: down * k, seconds })
  }
}

async function connect () {
  const ma = multiaddr(opts.addr)
  for (let i = -Number(opts.warmup); i < Number(opts.runs); i++) {
    const started = performance.now()
    const conn = await node.dial(ma, { force: true })
    await perfOnce(conn, 1, 1)
    const ms = performance.now() - started
    await conn.close()
    if (i >= 0) emit({ event: 'connect', run: i, ms })
  }
}

try {
  if (mode === 'server') {
    emit({ event: 'ready', peerId: node.peerId.toString(), addrs: node.getMultiaddrs().map(String) })
    const lines = createInterface({ input: process.stdin })
    lines.on('line', () => {})
    // The parent going away closes stdin: stop, never linger.
    await new Promise((resolve) => lines.on('close', resolve))
  } else if (mode === 'client') {
    await client()
    emit({ event: 'done' })
  } else if (mode === 'connect') {
    await connect()
    emit({ event: 'done' })
  } else {
    throw new Error(`unknown mode ${mode}`)
  }
  await node.stop()
  process.exit(0)
} catch (err) {
  process.stderr.write(`perf ${mode}: ${err.stack ?? err.message}\n`)
  process.exit(1)
}
