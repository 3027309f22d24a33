// Confines multicast-dns (used inside @libp2p/mdns) to one IPv4 interface address, 127.0.0.1 by default.
//
// @libp2p/mdns calls multicastDNS({ port, ip }) without an interface, and multicast-dns then joins the
// group on every interface and sends through the default one (a real NIC). Tests must never multicast
// on a real NIC, so a module resolve hook sends @libp2p/mdns's import of 'multicast-dns' to a wrapper
// that always passes `interface` (group membership + IP_MULTICAST_IF) and binds the wildcard address
// (binding 127.0.0.1 itself would filter out datagrams addressed to the group).
import { registerHooks } from 'node:module'

const WRAPPER_URL = new URL('./confined-multicast-dns.cjs', import.meta.url).href

/**
 * Must run before the first import of '@libp2p/mdns'.
 * @param {string} interfaceAddress IPv4 address of the interface to use, e.g. '127.0.0.1' (lo)
 */
export function confineMulticastDns (interfaceAddress = '127.0.0.1') {
  process.env.OMNIPEER_MDNS_INTERFACE = interfaceAddress
  registerHooks({
    resolve (specifier, context, nextResolve) {
      if (specifier === 'multicast-dns' && context.parentURL !== WRAPPER_URL) {
        return { url: WRAPPER_URL, format: 'commonjs', shortCircuit: true }
      }
      return nextResolve(specifier, context)
    }
  })
}
