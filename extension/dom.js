/**
 * A tiny element builder for the popup and prompt: `el('li', {class: 'app', dataset: {appId}}, 'text', child)`.
 * Text is always set as text (never parsed as HTML), so names from manifests cannot inject markup.
 */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'dataset') Object.assign(element.dataset, value);
    else if (name === 'class') element.className = value;
    else if (name === 'text') element.textContent = value;
    else if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  element.append(...children.filter((child) => child !== null && child !== undefined));
  return element;
}

/** Error text for a failed call: the daemon's message, with its code for the curious. */
export function errorText(error) {
  const message = error?.message ?? String(error);
  return Number.isInteger(error?.code) ? `${message} (code ${error.code})` : message;
}
