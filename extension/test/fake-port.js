/** A stand-in for chrome.runtime.Port: records what the extension posts, lets a test play the host. */
export class FakePort {
  posted = [];
  disconnected = false;
  #messageListeners = [];
  #disconnectListeners = [];
  onMessage = { addListener: (fn) => this.#messageListeners.push(fn) };
  onDisconnect = { addListener: (fn) => this.#disconnectListeners.push(fn) };

  postMessage(message) {
    if (this.disconnected) throw new Error('Attempting to use a disconnected port object');
    this.posted.push(structuredClone(message));
  }

  disconnect() {
    this.disconnected = true;
  }

  /** The host sends a message. */
  receive(message) {
    for (const fn of this.#messageListeners) fn(structuredClone(message));
  }

  /** The host exits. */
  close() {
    this.disconnected = true;
    for (const fn of this.#disconnectListeners) fn();
  }
}
