// A js-libp2p node as one app would run it on its own (the world without a shared client), for Omnipeer's
// footprint and start-up benchmarks: TCP + Noise + yamux, identify, ping and floodsub; subscribes the given
// topics, answers the given protocols (echo) and dials the given peers at start.
//
// Usage: node bench-node.mjs [--listen /ip4/127.0.0.1/tcp/0] [--topic T]... [--protocol /p/1.0.0]... [--bootstrap MA]...
// stdout: {"event":"ready","peerId","addrs","topics","appProtocols"} once listening (dials run in the background); stops when stdin closes.
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'

const { values: opts } = parseArgs({
  options: {
    listen: { type: 'string', default: '/ip4/127.0.0.1/tcp/0' },
    topic: { type: 'string', multiple: true, default: [] },
    protocol: { type: 'string', multiple: true, default: [] },
    bootstrap: { type: 'string', multiple: true, default: [] }
  }
})

const { createLibp2p } = await import('libp2p')
const { noise } = await import('@chainsafe/libp2p-noise')
const { yamux } = await import('@chainsafe/libp2p-yamux')
const { tcp } = await import('@libp2p/tcp')
const { identify } = await import('@libp2p/identify')
const { ping } = await import('@libp2p/ping')
const { floodsub } = await import('@libp2p/floodsub')
const { multiaddr } = await import('@multiformats/multiaddr')

const node = await createLibp2p({
  addresses: { listen: [opts.listen] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  connectionManager: { maxConnections: 1024, inboundConnectionThreshold: 1_000_000 },
  services: { identify: identify(), ping: ping(), pubsub: floodsub() }
})

async function echo (stream) {
  try {
    for await (const chunk of stream) {
      if (!stream.send(chunk)) await stream.onDrain()
    }
    await stream.close()
  } catch (err) {
    stream.abort(err)
  }
}
for (const p of opts.protocol) await node.handle(p, echo)
await node.start()
for (const t of opts.topic) node.services.pubsub.subscribe(t)
// topics / appProtocols: what the node itself reports it subscribed and handles (of the --protocol ones), so the
// footprint bench can check each app node carries exactly its app's share.
process.stdout.write(JSON.stringify({
  event: 'ready',
  peerId: node.peerId.toString(),
  addrs: node.getMultiaddrs().map(String),
  topics: node.services.pubsub.getTopics(),
  appProtocols: node.getProtocols().filter((p) => opts.protocol.includes(p))
}) + '\n')
for (const b of opts.bootstrap) {
  node.dial(multiaddr(b)).catch((err) => process.stderr.write(`dial ${b}: ${err.message}\n`))
}

const lines = createInterface({ input: process.stdin })
lines.on('line', () => {})
lines.on('close', async () => {
  await node.stop().catch(() => {})
  process.exit(0)
})
