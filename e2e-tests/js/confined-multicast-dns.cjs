// multicast-dns with the interface forced to OMNIPEER_MDNS_INTERFACE; see loopback-multicast.mjs.
const original = require('multicast-dns')
const interfaceAddress = process.env.OMNIPEER_MDNS_INTERFACE

module.exports = function confinedMulticastDns (opts = {}) {
  if (!interfaceAddress) throw new Error('OMNIPEER_MDNS_INTERFACE is not set')
  return original({ ...opts, interface: interfaceAddress, bind: '0.0.0.0', loopback: true })
}
