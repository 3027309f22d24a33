// A js-libp2p peer for Omnipeer's interop tests, driven by JSON lines.
//
// Usage: node peer.mjs [--listen /ip4/127.0.0.1/tcp/0] [--mdns-port 5353] [--mdns-interval-ms 1000]
//                      [--agent-version js-peer/1] [--pubsub floodsub|gossipsub]
// --pubsub gossipsub runs @libp2p/gossipsub (/meshsub/1.1.0, /meshsub/1.0.0 and the /floodsub/1.0.0 fallback)
// instead of @libp2p/floodsub; the commands and events below are the same.
// mDNS is off unless --mdns-port is given; it is confined to 127.0.0.1 (lo), never a real NIC.
//
// stdin, one JSON object a line, each with a caller-chosen "id":
//   {"id":1,"cmd":"dial","addr":"/ip4/127.0.0.1/tcp/4001/p2p/12D3..."}  -> {"peerId","remoteAddr"}
//   {"id":2,"cmd":"ping","peer":"12D3..."} (or "addr")                 -> {"rttMs"}
//   {"id":3,"cmd":"subscribe","topic":"t"} / "unsubscribe"             -> {}
//   {"id":4,"cmd":"publish","topic":"t","data":"<base64>"}             -> {"recipients":[peerIds]}
//   {"id":5,"cmd":"subscribers","topic":"t"}                           -> {"peers":[peerIds]}
//   {"id":14,"cmd":"mesh-peers","topic":"t"}                           -> {"peers":[peerIds]} (gossipsub only)
//   {"id":6,"cmd":"peers"}                                             -> {"peers":[{"peerId","addrs"}]}
//   {"id":7,"cmd":"identify-info","peer":"12D3..."}                    -> {"protocols","listenAddrs","agentVersion","protocolVersion"}
//   {"id":8,"cmd":"hangup","peer":"12D3..."}                           -> {}
//   {"id":9,"cmd":"echo","peer":"12D3...","bytes":1048576,"streams":1} -> {"sent","received","match","ms"}
//       opens /omnipeer-e2e/echo/1.0.0 to the peer ("streams" of them at once), sends that many pseudo-random
//       bytes on each, closes its write side and reads the echo to the end; "match" tells whether every
//       echo equals what was sent; "sent"/"received" are totals over all streams
//   {"id":10,"cmd":"handle","protocol":"/x/1.0.0"}                      -> {} (answers it with the echo service;
//       js-libp2p then sends identify push to connected peers)
//   {"id":11,"cmd":"open-stream","peer":"12D3...","protocol":"/x/1.0.0"} -> {"protocol"} (negotiates, then closes)
//   {"id":12,"cmd":"abort-echo","peer":"12D3...","bytes":65536}        -> {} (echo stream reset mid-way)
//   {"id":13,"cmd":"stop"}                                             -> {} then exit 0
// With --dht (@libp2p/kad-dht in server mode on /ipfs/kad/1.0.0, loopback addresses kept, an "omnipeer" record
// validator that checks the Ed25519 signature of /omnipeer/app/<ns>/<name> records), also ("ms" = wall time):
//   {"cmd":"dht-find-peer","peer":"12D3..."}                          -> {"addrs","ms"}
//   {"cmd":"dht-closest","key":"<base64>"}                             -> {"peers","ms"}
//   {"cmd":"dht-put-app","ns":"x","name":"y","value":"<b64>","seq":1}  -> {"writer","ms"} (signed by a fresh key)
//   {"cmd":"dht-get","key":"<utf8 key>"}                               -> {"record":"<b64>"|null,"value":"<b64>"|null,"ms"}
//   {"cmd":"dht-provide","text":"..."}                                 -> {"cid","ms"} (CIDv1 raw of sha2-256(text))
//   {"cmd":"dht-find-providers","text":"...","limit":5}                -> {"providers":[{"peerId","addrs"}],"ms"}
//   {"cmd":"dht-routing-table"}                                        -> {"size"}
// The node also answers /omnipeer-e2e/echo/1.0.0 itself: every byte read is written back; on the remote's
// half-close it closes its write side.
// stdout, one JSON object a line:
//   {"event":"ready","peerId","addrs","protocols","agentVersion"}
//   {"event":"result","id","result":{...}} | {"event":"error","id","error":"message"}
//   {"event":"peer:connect","peerId"} | {"event":"peer:disconnect","peerId"}
//   {"event":"peer:identify","peerId","protocols","listenAddrs","agentVersion"}
//   {"event":"peer:discovery","peerId","addrs"}
//   {"event":"message","topic","from","data":"<base64>","seqno":"<hex>"}
// Diagnostics go to stderr.
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'
import { confineMulticastDns } from './loopback-multicast.mjs'

const { values: opts } = parseArgs({
  options: {
    listen: { type: 'string', default: '/ip4/127.0.0.1/tcp/0' },
    'mdns-port': { type: 'string' },
    'mdns-interval-ms': { type: 'string', default: '1000' },
    'agent-version': { type: 'string', default: 'omnipeer-e2e-js-peer/1.0' },
    pubsub: { type: 'string', default: 'floodsub' },
    dht: { type: 'boolean', default: false }
  }
})

confineMulticastDns('127.0.0.1')
const { createLibp2p } = await import('libp2p')
const { noise } = await import('@chainsafe/libp2p-noise')
const { yamux } = await import('@chainsafe/libp2p-yamux')
const { tcp } = await import('@libp2p/tcp')
const { identify, identifyPush } = await import('@libp2p/identify')
const { ping } = await import('@libp2p/ping')
const { floodsub } = await import('@libp2p/floodsub')
const { gossipsub } = await import('@libp2p/gossipsub')
const { mdns } = await import('@libp2p/mdns')
const { multiaddr } = await import('@multiformats/multiaddr')
const { peerIdFromString } = await import('@libp2p/peer-id')
const { kadDHT } = await import('@libp2p/kad-dht')
const { CID } = await import('multiformats/cid')
const { sha256 } = await import('multiformats/hashes/sha2')
const { generateKeyPair, publicKeyFromProtobuf, publicKeyToProtobuf } = await import('@libp2p/crypto/keys')
const { peerIdFromPublicKey } = await import('@libp2p/peer-id')

// Omnipeer app records (native-host dht.proto AppRecord): value=1 bytes, seq=2 uint64, publicKey=3, signature=4;
// signature = Ed25519 over "omnipeer-app-record:" || uvarint(len key) || key || seq (8 bytes BE) || value.
function uvarint (n) {
  const out = []
  let v = BigInt(n)
  do {
    let b = Number(v & 0x7fn)
    v >>= 7n
    if (v > 0n) b |= 0x80
    out.push(b)
  } while (v > 0n)
  return Uint8Array.from(out)
}
function readVarint (buf, pos) {
  let v = 0n
  let shift = 0n
  for (let i = 0; i < 10; i++) {
    if (pos.i >= buf.length) throw new Error('truncated varint')
    const b = buf[pos.i++]
    v |= BigInt(b & 0x7f) << shift
    if ((b & 0x80) === 0) return v
    shift += 7n
  }
  throw new Error('varint too long')
}
function concat (...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let off = 0
  for (const p of parts) { out.set(p, off); off += p.length }
  return out
}
function appSignedBytes (key, value, seq) {
  const seqBytes = new Uint8Array(8)
  new DataView(seqBytes.buffer).setBigUint64(0, BigInt(seq))
  return concat(new TextEncoder().encode('omnipeer-app-record:'), uvarint(key.length), key, seqBytes, value)
}
function decodeAppRecord (bytes) {
  const r = { value: new Uint8Array(), seq: 0n, publicKey: null, signature: null }
  const pos = { i: 0 }
  while (pos.i < bytes.length) {
    const tag = Number(readVarint(bytes, pos))
    const field = tag >> 3
    if ((tag & 7) === 0) {
      const v = readVarint(bytes, pos)
      if (field === 2) r.seq = v
    } else if ((tag & 7) === 2) {
      const len = Number(readVarint(bytes, pos))
      if (pos.i + len > bytes.length) throw new Error('truncated field')
      const v = bytes.subarray(pos.i, pos.i + len)
      pos.i += len
      if (field === 1) r.value = v
      if (field === 3) r.publicKey = v
      if (field === 4) r.signature = v
    } else {
      throw new Error('unexpected wire type')
    }
  }
  return r
}
function encodeAppRecord (value, seq, publicKey, signature) {
  const field = (n, b) => concat(uvarint((n << 3) | 2), uvarint(b.length), b)
  return concat(field(1, value), uvarint(2 << 3), uvarint(seq), field(3, publicKey), field(4, signature))
}
async function validateAppRecord (key, value) {
  const text = new TextDecoder().decode(key)
  if (!/^\/omnipeer\/app\/[^/]+\/.+/.test(text)) throw new Error('not an /omnipeer/app/<ns>/<name> key')
  const r = decodeAppRecord(value)
  if (r.publicKey == null || r.signature == null) throw new Error('app record without key or signature')
  const pk = publicKeyFromProtobuf(r.publicKey)
  if (!(await pk.verify(appSignedBytes(key, r.value, r.seq), r.signature))) throw new Error('bad app record signature')
}
function selectAppRecord (key, records) {
  let best = 0
  for (let i = 1; i < records.length; i++) {
    try {
      if (decodeAppRecord(records[i]).seq > decodeAppRecord(records[best]).seq) best = i
    } catch {}
  }
  return best
}

function emit (obj) {
  process.stdout.write(JSON.stringify(obj) + '\n')
}

const peerDiscovery = []
if (opts['mdns-port'] != null) {
  peerDiscovery.push(mdns({
    port: Number(opts['mdns-port']),
    interval: Number(opts['mdns-interval-ms'])
  }))
}

const node = await createLibp2p({
  addresses: { listen: [opts.listen] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  peerDiscovery,
  // Tests reconnect quickly from 127.0.0.1; js-libp2p otherwise refuses more than 5 inbound
  // connections per second from one host (inboundConnectionThreshold).
  connectionManager: { allow: ['/ip4/127.0.0.0/ipcidr/8'] },
  nodeInfo: { userAgent: opts['agent-version'] },
  services: {
    identify: identify({ agentVersion: opts['agent-version'] }),
    identifyPush: identifyPush({ agentVersion: opts['agent-version'] }),
    ping: ping(),
    pubsub: opts.pubsub === 'gossipsub'
      ? gossipsub({ fallbackToFloodsub: true, allowPublishToZeroTopicPeers: true })
      : floodsub(),
    ...(opts.dht
      ? {
          dht: kadDHT({
            protocol: '/ipfs/kad/1.0.0',
            clientMode: false,
            // keep loopback addresses (the default mapper drops private ones)
            peerInfoMapper: (p) => p,
            validators: { omnipeer: validateAppRecord },
            selectors: { omnipeer: selectAppRecord },
            initialQuerySelfInterval: 500,
            allowQueryWithZeroPeers: true
          })
        }
      : {})
  }
})

node.addEventListener('peer:connect', (e) => emit({ event: 'peer:connect', peerId: e.detail.toString() }))
node.addEventListener('peer:disconnect', (e) => emit({ event: 'peer:disconnect', peerId: e.detail.toString() }))
node.addEventListener('peer:identify', (e) => {
  const d = e.detail
  emit({
    event: 'peer:identify',
    peerId: d.peerId.toString(),
    protocols: d.protocols,
    listenAddrs: d.listenAddrs.map(String),
    agentVersion: d.agentVersion,
    protocolVersion: d.protocolVersion
  })
})
node.addEventListener('peer:discovery', (e) => {
  emit({ event: 'peer:discovery', peerId: e.detail.id.toString(), addrs: e.detail.multiaddrs.map(String) })
})
node.services.pubsub.addEventListener('message', (e) => {
  const m = e.detail
  emit({
    event: 'message',
    topic: m.topic,
    from: m.type === 'signed' ? m.from.toString() : null,
    data: Buffer.from(m.data).toString('base64'),
    seqno: m.type === 'signed' ? m.sequenceNumber.toString(16) : null
  })
})

const ECHO = '/omnipeer-e2e/echo/1.0.0'
async function echoHandler (stream) {
  try {
    for await (const chunk of stream) {
      if (!stream.send(chunk)) await stream.onDrain()
    }
    await stream.close()
  } catch (err) {
    process.stderr.write(`echo handler: ${err.message}\n`)
    stream.abort(err)
  }
}
await node.handle(ECHO, echoHandler, { maxInboundStreams: 64 })

await node.start()
emit({
  event: 'ready',
  peerId: node.peerId.toString(),
  addrs: node.getMultiaddrs().map(String),
  protocols: node.getProtocols(),
  agentVersion: opts['agent-version']
})

function target (req) {
  if (req.addr != null) return multiaddr(req.addr)
  return peerIdFromString(req.peer)
}

/** One echo exchange on a fresh stream: send `total` bytes (seeded by `k`), half-close, read to the end. */
async function echoOnce (peer, total, k) {
  const data = new Uint8Array(total)
  for (let i = 0; i < total; i++) data[i] = (i * 31 + (i >> 8) + k * 7) & 0xff
  const stream = await node.dialProtocol(peer, ECHO)
  const CHUNK = 64 * 1024
  const writing = (async () => {
    for (let off = 0; off < total; off += CHUNK) {
      if (!stream.send(data.subarray(off, Math.min(total, off + CHUNK)))) await stream.onDrain()
    }
    await stream.close()
  })()
  const received = new Uint8Array(total)
  let got = 0
  let match = true
  for await (const chunk of stream) {
    const bytes = chunk.subarray()
    if (got + bytes.length > total) { match = false; got += bytes.length; continue }
    received.set(bytes, got)
    got += bytes.length
  }
  await writing
  if (got !== total) match = false
  for (let i = 0; match && i < total; i++) if (received[i] !== data[i]) match = false
  return { received: got, match }
}

const decoder = new TextDecoder()
const commands = {
  async dial (req) {
    const conn = await node.dial(multiaddr(req.addr))
    return { peerId: conn.remotePeer.toString(), remoteAddr: conn.remoteAddr.toString() }
  },
  async ping (req) {
    return { rttMs: await node.services.ping.ping(target(req)) }
  },
  async subscribe (req) {
    node.services.pubsub.subscribe(req.topic)
    return {}
  },
  async unsubscribe (req) {
    node.services.pubsub.unsubscribe(req.topic)
    return {}
  },
  async publish (req) {
    const res = await node.services.pubsub.publish(req.topic, Buffer.from(req.data ?? '', 'base64'))
    return { recipients: res.recipients.map(String) }
  },
  async subscribers (req) {
    return { peers: node.services.pubsub.getSubscribers(req.topic).map(String) }
  },
  async 'mesh-peers' (req) {
    if (typeof node.services.pubsub.getMeshPeers !== 'function') throw new Error('mesh-peers needs --pubsub gossipsub')
    return { peers: node.services.pubsub.getMeshPeers(req.topic).map(String) }
  },
  async peers () {
    return {
      peers: node.getPeers().map((p) => ({
        peerId: p.toString(),
        addrs: node.getConnections(p).map((c) => c.remoteAddr.toString())
      }))
    }
  },
  async 'identify-info' (req) {
    const peer = await node.peerStore.get(peerIdFromString(req.peer))
    const meta = (key) => peer.metadata.has(key) ? decoder.decode(peer.metadata.get(key)) : null
    return {
      protocols: peer.protocols,
      listenAddrs: peer.addresses.map((a) => a.multiaddr.toString()),
      agentVersion: meta('AgentVersion'),
      protocolVersion: meta('ProtocolVersion')
    }
  },
  async echo (req) {
    const total = Number(req.bytes)
    const streams = Number(req.streams ?? 1)
    const started = performance.now()
    const results = await Promise.all(Array.from({ length: streams }, (_, k) => echoOnce(target(req), total, k)))
    return {
      sent: total * streams,
      received: results.reduce((n, r) => n + r.received, 0),
      match: results.every((r) => r.match),
      ms: performance.now() - started
    }
  },
  async 'abort-echo' (req) {
    // Opens the echo protocol, sends `bytes`, then resets the stream (yamux RST) without closing it.
    const stream = await node.dialProtocol(target(req), ECHO)
    stream.send(new Uint8Array(Number(req.bytes)))
    await new Promise((resolve) => setTimeout(resolve, 50))
    stream.abort(new Error('test abort'))
    return {}
  },
  async 'open-stream' (req) {
    const stream = await node.dialProtocol(target(req), req.protocol)
    const protocol = stream.protocol
    await stream.close()
    return { protocol }
  },
  async handle (req) {
    await node.handle(req.protocol, echoHandler)
    return {}
  },
  async hangup (req) {
    await node.hangUp(peerIdFromString(req.peer))
    return {}
  },
  async 'dht-find-peer' (req) {
    const started = performance.now()
    const info = await node.peerRouting.findPeer(peerIdFromString(req.peer))
    return { addrs: info.multiaddrs.map(String), ms: performance.now() - started }
  },
  async 'dht-closest' (req) {
    const started = performance.now()
    const peers = []
    for await (const e of node.services.dht.getClosestPeers(Buffer.from(req.key, 'base64'))) {
      if (e.name === 'FINAL_PEER') peers.push(e.peer.id.toString())
    }
    return { peers, ms: performance.now() - started }
  },
  async 'dht-put-app' (req) {
    const key = new TextEncoder().encode(`/omnipeer/app/${req.ns}/${req.name}`)
    const value = Buffer.from(req.value, 'base64')
    const writer = await generateKeyPair('Ed25519')
    const seq = BigInt(req.seq ?? 1)
    const signature = await writer.sign(appSignedBytes(key, value, seq))
    const record = encodeAppRecord(value, seq, publicKeyToProtobuf(writer.publicKey), signature)
    const started = performance.now()
    await node.contentRouting.put(key, record)
    return { writer: peerIdFromPublicKey(writer.publicKey).toString(), ms: performance.now() - started }
  },
  async 'dht-get' (req) {
    const key = new TextEncoder().encode(req.key)
    const started = performance.now()
    let record = null
    try {
      record = await node.contentRouting.get(key)
    } catch (err) {
      if (err.name !== 'NotFoundError') throw err
    }
    let value = null
    if (record != null && req.key.startsWith('/omnipeer/app/')) value = Buffer.from(decodeAppRecord(record).value).toString('base64')
    return { record: record == null ? null : Buffer.from(record).toString('base64'), value, ms: performance.now() - started }
  },
  async 'dht-provide' (req) {
    const cid = CID.createV1(0x55, await sha256.digest(new TextEncoder().encode(req.text)))
    const started = performance.now()
    await node.contentRouting.provide(cid)
    return { cid: cid.toString(), ms: performance.now() - started }
  },
  async 'dht-find-providers' (req) {
    const cid = CID.createV1(0x55, await sha256.digest(new TextEncoder().encode(req.text)))
    const started = performance.now()
    const providers = []
    for await (const p of node.contentRouting.findProviders(cid)) {
      providers.push({ peerId: p.id.toString(), addrs: p.multiaddrs.map(String) })
      if (providers.length >= (req.limit ?? 20)) break
    }
    return { providers, ms: performance.now() - started }
  },
  async 'dht-routing-table' () {
    return { size: node.services.dht.routingTable.size }
  },
  async stop () {
    await node.stop()
    return {}
  }
}

const lines = createInterface({ input: process.stdin })
lines.on('line', async (line) => {
  if (line.trim() === '') return
  let req
  try {
    req = JSON.parse(line)
  } catch (err) {
    emit({ event: 'error', id: null, error: `bad JSON: ${err.message}` })
    return
  }
  const handler = commands[req.cmd]
  if (handler == null) {
    emit({ event: 'error', id: req.id, error: `unknown cmd ${req.cmd}` })
    return
  }
  try {
    emit({ event: 'result', id: req.id, result: await handler(req) })
  } catch (err) {
    emit({ event: 'error', id: req.id, error: `${err.name}: ${err.message}` })
  }
  if (req.cmd === 'stop') process.exit(0)
})
// The test JVM going away closes stdin: stop too, never linger.
lines.on('close', async () => {
  await node.stop().catch(() => {})
  process.exit(0)
})
