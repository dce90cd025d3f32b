/* core/strtab.c — interns byte strings to dense indices 0, 1, 2 ...
 *
 * Built for tens of millions of patient pseudonyms: an open-addressing table
 * of 8-byte slots (linear probing), the strings in a chunked arena (a chunk
 * is never moved, so pointers handed out stay valid), no allocation per key.
 * A slot holds the key's 32-bit hash and index + 1 (0 marks an empty slot),
 * so probing compares hashes before touching string memory and growing the
 * table never re-hashes a string. */
#include "uppfolj.h"

#include <stdlib.h>
#include <string.h>

enum { CHUNK = 4 << 20, LEN_PREFIX = sizeof(uint32_t) };

struct uf_strtab {
    uint64_t *slots;
    size_t mask; /* slot count - 1, a power of two minus one */
    const char **strs; /* index -> string; its length is stored just before it */
    size_t count, cap;
    char **chunks;
    size_t nchunks;
    char *cur; /* free space in the newest chunk */
    size_t left;
};

/* Word-at-a-time multiply-fold hash (in the spirit of wyhash): pseudonyms
 * are 10-40 bytes, so this is a handful of multiplications per key. */
static uint64_t fold(uint64_t a, uint64_t b)
{
    __uint128_t r = (__uint128_t)a * b;
    return (uint64_t)r ^ (uint64_t)(r >> 64);
}

static uint32_t hash(const char *s, size_t n)
{
    uint64_t h = 0x9e3779b97f4a7c15ull ^ (n * 0xff51afd7ed558ccdull);
    for (; n >= 8; s += 8, n -= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = fold(h ^ w, 0xbf58476d1ce4e5b9ull);
    }
    uint64_t w = 0;
    memcpy(&w, s, n);
    h = fold(h ^ w, 0x94d049bb133111ebull);
    return (uint32_t)(h ^ (h >> 32));
}

static size_t len_of(const char *s)
{
    uint32_t n;
    memcpy(&n, s - LEN_PREFIX, LEN_PREFIX);
    return n;
}

uf_strtab *uf_strtab_new(void)
{
    uf_strtab *t = uf_xcalloc(1, sizeof *t);
    t->mask = 1023;
    t->slots = uf_xcalloc(t->mask + 1, sizeof *t->slots);
    return t;
}

/* The slot holding s, or the empty slot where it would go. */
static size_t probe(const uf_strtab *t, const char *s, size_t len, uint32_t h)
{
    for (size_t i = h & t->mask;; i = (i + 1) & t->mask) {
        uint64_t v = t->slots[i];
        if (!v)
            return i;
        if ((uint32_t)(v >> 32) == h) {
            const char *k = t->strs[(uint32_t)v - 1];
            if (len_of(k) == len && memcmp(k, s, len) == 0)
                return i;
        }
    }
}

static void grow_slots(uf_strtab *t)
{
    size_t n = (t->mask + 1) * 2;
    uint64_t *slots = uf_xcalloc(n, sizeof *slots);
    for (size_t i = 0; i <= t->mask; i++) {
        uint64_t v = t->slots[i];
        if (!v)
            continue;
        size_t j = (uint32_t)(v >> 32) & (n - 1);
        while (slots[j])
            j = (j + 1) & (n - 1);
        slots[j] = v;
    }
    free(t->slots);
    t->slots = slots;
    t->mask = n - 1;
}

static const char *store(uf_strtab *t, const char *s, size_t len)
{
    size_t need = LEN_PREFIX + len + 1;
    if (need > t->left) {
        size_t size = need > CHUNK ? need : CHUNK;
        t->chunks = uf_xrealloc(t->chunks, (t->nchunks + 1) * sizeof *t->chunks);
        t->cur = t->chunks[t->nchunks++] = uf_xmalloc(size);
        t->left = size;
    }
    uint32_t n = (uint32_t)len;
    memcpy(t->cur, &n, LEN_PREFIX);
    char *k = t->cur + LEN_PREFIX;
    memcpy(k, s, len);
    k[len] = '\0';
    t->cur += need;
    t->left -= need;
    return k;
}

uint32_t uf_strtab_intern(uf_strtab *t, const char *s, size_t len, int *added)
{
    if (len >= UINT32_MAX || t->count >= UINT32_MAX - 1) {
        fputs("uppfolj: för många eller för långa nycklar i strängtabellen\n", stderr);
        exit(1);
    }
    uint32_t h = hash(s, len);
    size_t i = probe(t, s, len, h);
    if (t->slots[i]) {
        if (added)
            *added = 0;
        return (uint32_t)t->slots[i] - 1;
    }
    /* Keep the load at most 3/4 so probe sequences stay short. */
    if ((t->count + 1) * 4 > (t->mask + 1) * 3) {
        grow_slots(t);
        i = probe(t, s, len, h);
    }
    if (t->count == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 1024;
        t->strs = uf_xrealloc(t->strs, t->cap * sizeof *t->strs);
    }
    uint32_t idx = (uint32_t)t->count++;
    t->strs[idx] = store(t, s, len);
    t->slots[i] = (uint64_t)h << 32 | (idx + 1);
    if (added)
        *added = 1;
    return idx;
}

int64_t uf_strtab_find(const uf_strtab *t, const char *s, size_t len)
{
    uint64_t v = t->slots[probe(t, s, len, hash(s, len))];
    return v ? (int64_t)(uint32_t)v - 1 : -1;
}

const char *uf_strtab_str(const uf_strtab *t, uint32_t i) { return t->strs[i]; }

size_t uf_strtab_count(const uf_strtab *t) { return t->count; }

void uf_strtab_free(uf_strtab *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nchunks; i++)
        free(t->chunks[i]);
    free(t->chunks);
    free(t->strs);
    free(t->slots);
    free(t);
}
