/* The book's service worker (written by dossier.sphinxext.offline_site; do not edit the copy in a
 * built site). On install it fetches every file of FILES whose sha256 differs from what it holds,
 * so a rebuilt book costs only what changed; it then answers from its cache first. Other files of
 * the site (PDFs, notebooks) are kept once fetched. Requests to other hosts (map tiles) are left
 * to the network.
 */
"use strict";
const VERSION = "__VERSION__";
const CACHE = "dossier-book";
const INDEX = "__dossier-precache.json";
const FILES = __FILES__;

const scoped = path => new URL(path, self.registration.scope).href;

self.addEventListener("install", event => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    const old = await cache.match(scoped(INDEX)).then(r => (r ? r.json() : {})).catch(() => ({}));
    const wanted = Object.keys(FILES).filter(path => old[path] !== FILES[path]);
    const fetched = await Promise.all(wanted.map(async path => {
      const response = await fetch(new Request(scoped(path), { cache: "reload" }));
      if (!response.ok) throw new Error(`${path}: ${response.status}`);
      return [path, response];
    }));
    await Promise.all(fetched.map(([path, response]) => cache.put(scoped(path), response)));
    for (const path of Object.keys(old)) {
      if (!(path in FILES)) await cache.delete(scoped(path));
    }
    await cache.put(scoped(INDEX), new Response(JSON.stringify(FILES), { headers: { "Content-Type": "application/json" } }));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", event => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("fetch", event => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    const hit = await cache.match(request, { ignoreSearch: true });
    if (hit) return hit;
    try {
      const response = await fetch(request);
      if (response.ok && response.type === "basic") await cache.put(request, response.clone());
      return response;
    } catch (error) {
      const page = request.mode === "navigate";
      return new Response(page ? "<!DOCTYPE html><html lang='en'><title>Offline</title><p>This page is not kept " +
                                 "for offline reading, and there is no connection.</p></html>" : "",
                          { status: 503, headers: { "Content-Type": page ? "text/html; charset=utf-8" : "text/plain" } });
    }
  })());
});
// Version of this list: __VERSION__ (changes whenever a file of the book does).
