import { NetworkError, ParleyError } from './errors.js';

/** @typedef {import('./client.js').ParleyClient} ParleyClient */
/** @typedef {import('./types.js').Attachment} Attachment */
/** @typedef {import('./types.js').UploadTicket} UploadTicket */

/**
 * @typedef {object} UploadOptions
 * @property {string} [filename] default: the File's name, else `image`
 * @property {string} [contentType] default: the Blob's type (image/jpeg, image/png, image/webp, image/gif)
 * @property {(progress: {loaded: number, total: number}) => void} [onProgress] bytes sent so far
 * @property {AbortSignal} [signal]
 */

// Set by the browser or the HTTP stack from the body itself; a page may not set them.
const FORBIDDEN_HEADERS = new Set(['content-length', 'host', 'connection', 'expect', 'transfer-encoding']);
const CHUNK = 64 * 1024;

/**
 * Uploads an image the contract's way: a ticket (`upload-url`), a PUT of the bytes straight to storage with
 * progress (XMLHttpRequest in browsers, a streamed `fetch` elsewhere), then `complete`, where the server checks the
 * real bytes. Answers the attachment, ready to send as `{type: "image", attachment_id}`.
 * Throws ParleyError (INVALID_ATTACHMENT, ATTACHMENT_TOO_LARGE, RATE_LIMIT_EXCEEDED) or NetworkError.
 * @param {ParleyClient} client
 * @param {Blob | ArrayBuffer | Uint8Array} data
 * @param {UploadOptions} [options]
 * @returns {Promise<Attachment>}
 */
export async function uploadImage(client, data, options = {}) {
  const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : data;
  const size = bytes instanceof Uint8Array ? bytes.byteLength : bytes.size;
  const contentType = options.contentType || (bytes instanceof Uint8Array ? '' : bytes.type);
  if (!contentType) {
    throw new TypeError('contentType is required for raw bytes');
  }
  const named = /** @type {{name?: unknown}} */ (bytes).name;
  const filename = options.filename || (typeof named === 'string' && named) || 'image';
  const ticket = await client.uploadUrl({ filename, content_type: contentType, file_size: size });
  await putBytes(ticket, bytes, size, options);
  return client.completeUpload(ticket.attachment_id);
}

/**
 * @param {UploadTicket} ticket
 * @param {Blob | Uint8Array} bytes
 * @param {number} size
 * @param {UploadOptions} options
 */
async function putBytes(ticket, bytes, size, { onProgress, signal }) {
  /** @type {Record<string, string>} */
  const headers = {};
  for (const [name, value] of Object.entries(ticket.headers ?? {})) {
    if (!FORBIDDEN_HEADERS.has(name.toLowerCase())) {
      headers[name] = value;
    }
  }
  if (typeof globalThis.XMLHttpRequest === 'function') {
    const body = bytes instanceof Uint8Array ? new Blob([/** @type {BlobPart} */ (bytes)]) : bytes;
    await putWithXhr(ticket, headers, body, size, onProgress, signal);
    return;
  }
  await putWithFetch(ticket, headers, bytes, size, onProgress, signal);
}

/**
 * @param {UploadTicket} ticket
 * @param {Record<string, string>} headers
 * @param {Blob} body
 * @param {number} size
 * @param {UploadOptions['onProgress']} onProgress
 * @param {AbortSignal | undefined} signal
 * @returns {Promise<void>}
 */
function putWithXhr(ticket, headers, body, size, onProgress, signal) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(ticket.method || 'PUT', ticket.upload_url);
    for (const [name, value] of Object.entries(headers)) {
      xhr.setRequestHeader(name, value);
    }
    xhr.upload.onprogress = (event) => onProgress?.({ loaded: event.loaded, total: event.total || size });
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress?.({ loaded: size, total: size });
        resolve();
      } else {
        reject(storageError(xhr.status, xhr.responseText, xhr.getResponseHeader('Retry-After')));
      }
    };
    xhr.onerror = () => reject(new NetworkError('The upload was cut off'));
    xhr.onabort = () => reject(new NetworkError('The upload was aborted'));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(body);
  });
}

/**
 * Streams the body in chunks, counting what the HTTP stack has pulled: the progress of a runtime without
 * XMLHttpRequest (Node).
 * @param {UploadTicket} ticket
 * @param {Record<string, string>} headers
 * @param {Blob | Uint8Array} bytes
 * @param {number} size
 * @param {UploadOptions['onProgress']} onProgress
 * @param {AbortSignal | undefined} signal
 */
async function putWithFetch(ticket, headers, bytes, size, onProgress, signal) {
  const all = bytes instanceof Uint8Array ? bytes : new Uint8Array(await bytes.arrayBuffer());
  let offset = 0;
  const stream = new ReadableStream({
    pull(controller) {
      if (offset >= all.byteLength) {
        controller.close();
        return;
      }
      const chunk = all.subarray(offset, Math.min(offset + CHUNK, all.byteLength));
      offset += chunk.byteLength;
      controller.enqueue(chunk);
      onProgress?.({ loaded: offset, total: size });
    },
  });
  /** @type {Response} */
  let response;
  try {
    response = await fetch(ticket.upload_url, /** @type {RequestInit} */ ({
      method: ticket.method || 'PUT',
      // The signed URL fixes the length; a streamed body would otherwise go out chunked, without one.
      headers: { ...headers, 'Content-Length': String(size) },
      body: stream,
      duplex: 'half',
      signal,
    }));
  } catch (error) {
    throw new NetworkError('The upload was cut off', error);
  }
  const text = await response.text().catch(() => '');
  if (!response.ok) {
    throw storageError(response.status, text, response.headers.get('Retry-After'));
  }
}

/**
 * An object store's refusal: Parley's local store answers the contract's body, S3 answers XML.
 * @param {number} status
 * @param {string} text
 * @param {string | null} retryAfter
 */
function storageError(status, text, retryAfter) {
  /** @type {any} */
  let body = null;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON (S3's XML): the status says enough.
  }
  return new ParleyError({
    status,
    code: typeof body?.code === 'string' ? body.code : `STORAGE_${status}`,
    message: typeof body?.message === 'string' ? body.message : `The upload was refused (${status})`,
    details: body?.details ?? {},
    retryAfter: retryAfter && /^\d+$/.test(retryAfter) ? Number(retryAfter) : null,
  });
}
