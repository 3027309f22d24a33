// A stand-in native messaging host for the popup/prompt UI tests while the daemon does not serve the app
// platform yet: speaks native-messaging frames (4-byte little-endian length + UTF-8 JSON) on stdio and answers
// the JSON-RPC methods the extension's views and service worker call, from in-memory state. Every request it
// receives is appended as one JSON line to $FAKE_HOST_LOG, so a test can check what the extension sent.
// Never used by the real-daemon tests (AppPlatformBrowserTest, BrowserBridgeTest).
import { appendFileSync } from 'node:fs'

const log = process.env.FAKE_HOST_LOG
const apps = new Map()
let grants = []
let tick = 0
let buffer = Buffer.alloc(0)

function send (message) {
  const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }))
  const header = Buffer.alloc(4)
  header.writeUInt32LE(body.length)
  process.stdout.write(Buffer.concat([header, body]))
}

const usage = (id, n) => ({
  id, inBps: 1000 * n, outBps: 500 * n, bytesIn: 10_000 * n, bytesOut: 5_000 * n, streams: 1, connections: 1,
  storageBytes: 2048, limits: { bandwidthInKiBps: 64, bandwidthOutKiBps: 0, storageBytes: 1_048_576, connections: 0 }
})

const methods = {
  'node.info': () => ({ peerId: '12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA', listenAddrs: ['/ip4/127.0.0.1/tcp/4001'], connectedPeers: 0, agentVersion: 'fake-host/1.0' }),
  'grants.list': ({ origin }) => ({ grants: grants.filter((g) => origin === undefined || g.origin === origin || g.origin === principal(origin)) }),
  'grants.add': ({ origin, capabilities, expiresAt }) => {
    for (const capability of capabilities) {
      grants = grants.filter((g) => !(g.origin === principal(origin) && g.capability === capability))
      grants.push({ origin: principal(origin), capability, grantedAt: Date.now(), expiresAt: expiresAt ?? null })
    }
    send({ method: 'grants.changed', params: { origin: principal(origin) } })
    return { grants }
  },
  'grants.revoke': ({ origin, capability }) => {
    const before = grants.length
    grants = grants.filter((g) => !(g.origin === principal(origin) && (capability === undefined || g.capability === capability)))
    send({ method: 'grants.changed', params: { origin: principal(origin) } })
    return { revoked: before - grants.length }
  },
  'apps.list': () => ({ apps: [...apps.values()] }),
  'apps.install': ({ manifest }) => {
    const m = manifest.manifest
    if (typeof manifest.signature !== 'string' || manifest.signature === 'bad') throw { code: -32602, message: 'bad signature: the manifest was not signed by its publisher key' }
    const app = { id: m.id, name: m.name, version: m.version, description: m.description, icon: m.icon, publisherKey: m.publisherKey, fingerprint: '0a1b 2c3d 4e5f 6789', entry: m.entry, capabilities: m.capabilities, resources: m.resources, enabled: true, installedAt: Date.now() }
    apps.set(app.id, app)
    send({ method: 'apps.changed', params: { id: app.id } })
    return { app }
  },
  'apps.enable': ({ id }) => setEnabled(id, true),
  'apps.disable': ({ id }) => setEnabled(id, false),
  'apps.remove': ({ id }) => {
    apps.delete(id)
    grants = grants.filter((g) => g.origin !== `app:${id}`)
    send({ method: 'apps.changed', params: { id } })
    return { removed: true }
  },
  'apps.usage': () => { tick += 1; return { apps: [...apps.keys()].map((id) => usage(id, tick)), system: usage('system', 1) } },
  'settings.get': () => ({ settings: { bandwidthInKiBps: 0, bandwidthOutKiBps: 0, dataDir: '/tmp/fake', dataDirBytes: 4096 } })
}

function principal (origin) {
  for (const app of apps.values()) if (app.enabled && app.entry?.origin === origin) return `app:${app.id}`
  return origin
}

function setEnabled (id, enabled) {
  const app = apps.get(id)
  if (!app) throw { code: -32602, message: `no app ${id}` }
  app.enabled = enabled
  send({ method: 'apps.changed', params: { id } })
  return { app }
}

function handle (request) {
  if (log) appendFileSync(log, JSON.stringify({ method: request.method, params: request.params }) + '\n')
  const method = methods[request.method]
  if (!method) return send({ id: request.id, error: { code: 4200, message: `unsupported method: ${request.method}` } })
  try {
    send({ id: request.id, result: method(request.params ?? {}) })
  } catch (error) {
    send({ id: request.id, error: { code: error.code ?? -32603, message: error.message ?? String(error) } })
  }
}

process.stdin.on('data', (chunk) => {
  buffer = Buffer.concat([buffer, chunk])
  while (buffer.length >= 4 && buffer.length >= 4 + buffer.readUInt32LE(0)) {
    const length = buffer.readUInt32LE(0)
    handle(JSON.parse(buffer.subarray(4, 4 + length).toString('utf8')))
    buffer = buffer.subarray(4 + length)
  }
})
process.stdin.on('end', () => process.exit(0))
