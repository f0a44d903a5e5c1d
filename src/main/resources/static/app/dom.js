// Small DOM helpers for the web app: no framework, just elements built from data (text is never parsed as HTML).

/**
 * The element with this id; a missing one is a bug in the page, so it throws.
 * @param {string} id
 * @returns {HTMLElement}
 */
export function $(id) {
  const element = document.getElementById(id);
  if (!element) {
    throw new Error(`No #${id} in the page`);
  }
  return element;
}

/**
 * An element with attributes (`on*` functions become listeners; booleans set or drop the attribute) and children
 * (strings become text nodes).
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {{[name: string]: string | boolean | undefined | ((event: Event) => void)}} [attributes]
 * @param {...(Node | string)} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (typeof value === 'boolean') {
      if (name === 'checked' && element instanceof HTMLInputElement) {
        element.checked = value;
      } else if (value) {
        element.setAttribute(name, '');
      }
    } else if (value !== undefined) {
      element.setAttribute(name, value);
    }
  }
  element.append(...children);
  return element;
}

/** @param {Element} element */
export function clear(element) {
  element.replaceChildren();
}

/**
 * A short time: hours and minutes today, else the date too.
 * @param {string} iso
 */
export function timeOf(iso) {
  const date = new Date(iso);
  const today = new Date().toDateString() === date.toDateString();
  return today ? date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : date.toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** @param {{display_name: string, username: string | null}} user */
export function userLabel(user) {
  return user.username ? `${user.display_name} (@${user.username})` : user.display_name;
}
