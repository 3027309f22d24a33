/**
 * Keyboard-accessible tabs (WAI-ARIA Authoring Practices, "Tabs" with automatic activation):
 * role=tablist/tab/tabpanel, roving tabindex (only the selected tab is in the Tab order), Left/Right
 * (and Up/Down) move between tabs with wrap-around, Home/End jump to the first/last tab.
 */

/**
 * The tab index a key moves to, or -1 when the key is not a tab-navigation key.
 * @param {string} key KeyboardEvent.key
 * @param {number} index the focused tab
 * @param {number} count number of tabs
 */
export function nextTabIndex(key, index, count) {
  switch (key) {
    case 'ArrowRight':
    case 'ArrowDown':
      return (index + 1) % count;
    case 'ArrowLeft':
    case 'ArrowUp':
      return (index - 1 + count) % count;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return -1;
  }
}

export class Tabs {
  #tabs;
  #onSelect;

  /**
   * @param {HTMLElement} tablist element with role=tablist whose children with role=tab control panels
   *   named by aria-controls
   * @param {(panelId:string) => void} onSelect called after a tab is shown
   */
  constructor(tablist, onSelect) {
    this.#tabs = [...tablist.querySelectorAll('[role="tab"]')];
    this.#onSelect = onSelect;
    this.#tabs.forEach((tab, i) => {
      tab.addEventListener('click', () => this.select(i));
      tab.addEventListener('keydown', (event) => {
        const next = nextTabIndex(event.key, i, this.#tabs.length);
        if (next < 0) return;
        event.preventDefault();
        this.select(next);
        this.#tabs[next].focus();
      });
    });
  }

  /** Shows the tab at `index` (or whose panel id is `index`) and hides the other panels. */
  select(index) {
    const at = typeof index === 'number' ? index : this.#tabs.findIndex((t) => t.getAttribute('aria-controls') === index);
    this.#tabs.forEach((tab, i) => {
      const selected = i === at;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
      document.getElementById(tab.getAttribute('aria-controls')).hidden = !selected;
    });
    this.#onSelect(this.selected());
  }

  /** The panel id of the selected tab. */
  selected() {
    const tab = this.#tabs.find((t) => t.getAttribute('aria-selected') === 'true') ?? this.#tabs[0];
    return tab.getAttribute('aria-controls');
  }
}
