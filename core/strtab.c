/* core/strtab.c — interns byte strings to dense indices 0, 1, 2 ...
 *
 * Built for tens of millions of patient pseudonyms: an open-addressing table
 * of 8-byte slots (linear probing), the strings in a chunked arena (a chunk
 * is never moved, so pointers handed out stay valid), no allocation per key.
 *
 * A key lives in the arena as [length][index][bytes][NUL] and is named by a
 * 32-bit reference: chunk number (from 1, so 0 means "empty") and offset.
 * A slot holds the key's 32-bit hash and that reference, so a lookup costs
 * one cache miss for the slot and one for the key, which carries its own
 * index; a hash is compared before any key memory is touched, and growing
 * the table never re-hashes a string. */
#include "core/core.h"

#include <stdlib.h>
#include <string.h>

enum {
    OFFSET_BITS = 22,
    CHUNK = 1 << OFFSET_BITS, /* 4 MiB */
    MAX_CHUNKS = (1 << (32 - OFFSET_BITS)) - 1,
    HEAD = 2 * sizeof(uint32_t), /* length and index before the bytes */
};

struct uf_strtab {
    uint64_t *slots;
    size_t mask;    /* slot count - 1, a power of two minus one */
    uint32_t *refs; /* index -> reference of its key */
    size_t count, cap;
    char **chunks;
    size_t nchunks;
    size_t used; /* bytes taken in the newest chunk */
    size_t size; /* and its size (CHUNK, or more for one long key) */
};

/* Word-at-a-time multiply-fold hash (in the spirit of wyhash): pseudonyms
 * are 10-40 bytes, so this is a handful of multiplications per key. */
static uint64_t fold(uint64_t a, uint64_t b)
{
    __uint128_t r = (__uint128_t)a * b;
    return (uint64_t)r ^ (uint64_t)(r >> 64);
}

uint32_t uf_strtab_hash(const char *s, size_t n)
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

/* The head of the key a reference names. */
static const char *entry(const uf_strtab *t, uint32_t ref)
{
    return t->chunks[(ref >> OFFSET_BITS) - 1] + (ref & (CHUNK - 1));
}

static uint32_t head_field(const char *e, int k)
{
    uint32_t v;
    memcpy(&v, e + k * sizeof v, sizeof v);
    return v;
}

uf_strtab *uf_strtab_new(void)
{
    uf_strtab *t = uf_xcalloc(1, sizeof *t);
    t->mask = 1023;
    t->slots = uf_xcalloc(t->mask + 1, sizeof *t->slots);
    return t;
}

/* The len bytes at a and b are the same.  Patient ids are 8-16 bytes:
 * two overlapping words each, not a call to memcmp. */
static inline int same_key(const char *a, const char *b, size_t len)
{
    if (len < 8 || len > 16)
        return memcmp(a, b, len) == 0;
    uint64_t a0, a1, b0, b1;
    memcpy(&a0, a, 8);
    memcpy(&b0, b, 8);
    memcpy(&a1, a + len - 8, 8);
    memcpy(&b1, b + len - 8, 8);
    return ((a0 ^ b0) | (a1 ^ b1)) == 0;
}

/* The slot holding s, or the empty slot where it would go. */
static size_t probe(const uf_strtab *t, const char *s, size_t len, uint32_t h)
{
    for (size_t i = h & t->mask;; i = (i + 1) & t->mask) {
        uint64_t v = t->slots[i];
        if (!v)
            return i;
        if ((uint32_t)(v >> 32) == h) {
            const char *e = entry(t, (uint32_t)v);
            if (head_field(e, 0) == len && same_key(e + HEAD, s, len))
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

/* Copies the key into the arena and returns its reference. */
static uint32_t store(uf_strtab *t, const char *s, size_t len, uint32_t idx)
{
    size_t need = HEAD + len + 1;
    if (need > t->size - t->used) {
        if (t->nchunks == MAX_CHUNKS)
            uf_out_of_memory("strängtabellen är full");
        t->size = need > CHUNK ? need : CHUNK;
        t->chunks = uf_xrealloc(t->chunks, (t->nchunks + 1) * sizeof *t->chunks);
        t->chunks[t->nchunks++] = uf_xmalloc(t->size);
        t->used = 0;
    }
    char *e = t->chunks[t->nchunks - 1] + t->used;
    uint32_t head[2] = {(uint32_t)len, idx};
    memcpy(e, head, HEAD);
    memcpy(e + HEAD, s, len);
    e[HEAD + len] = '\0';
    uint32_t ref = (uint32_t)t->nchunks << OFFSET_BITS | (uint32_t)t->used;
    t->used += need;
    return ref;
}

uint32_t uf_strtab_intern(uf_strtab *t, const char *s, size_t len, int *added)
{
    return uf_strtab_intern_hashed(t, s, len, uf_strtab_hash(s, len), added);
}

uint32_t uf_strtab_intern_hashed(uf_strtab *t, const char *s, size_t len, uint32_t h, int *added)
{
    if (len >= UINT32_MAX || t->count >= UINT32_MAX - 1)
        uf_out_of_memory("för många eller för långa nycklar i strängtabellen");
    size_t i = probe(t, s, len, h);
    if (t->slots[i]) {
        if (added)
            *added = 0;
        return head_field(entry(t, (uint32_t)t->slots[i]), 1);
    }
    /* Keep the load at most 3/4 so probe sequences stay short. */
    if ((t->count + 1) * 4 > (t->mask + 1) * 3) {
        grow_slots(t);
        i = probe(t, s, len, h);
    }
    if (t->count == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 1024;
        t->refs = uf_xrealloc(t->refs, t->cap * sizeof *t->refs);
    }
    uint32_t idx = (uint32_t)t->count++;
    t->refs[idx] = store(t, s, len, idx);
    t->slots[i] = (uint64_t)h << 32 | t->refs[idx];
    if (added)
        *added = 1;
    return idx;
}

enum { AHEAD = 8 };

static uint32_t hash_at(const uint32_t *hashes, size_t stride, size_t i)
{
    return *(const uint32_t *)((const char *)hashes + i * stride);
}

void uf_strtab_prefetch_ahead(const uf_strtab *t, const uint32_t *hashes, size_t stride,
                              size_t i, size_t n)
{
    if (i + 2 * AHEAD < n)
        __builtin_prefetch(&t->slots[hash_at(hashes, stride, i + 2 * AHEAD) & t->mask]);
    if (i + AHEAD < n) {
        uint32_t h = hash_at(hashes, stride, i + AHEAD);
        uint64_t v = t->slots[h & t->mask];
        if (v && (uint32_t)(v >> 32) == h)
            __builtin_prefetch(entry(t, (uint32_t)v));
    }
}

int64_t uf_strtab_find(const uf_strtab *t, const char *s, size_t len)
{
    return uf_strtab_find_hashed(t, s, len, uf_strtab_hash(s, len));
}

int64_t uf_strtab_find_hashed(const uf_strtab *t, const char *s, size_t len, uint32_t h)
{
    uint64_t v = t->slots[probe(t, s, len, h)];
    return v ? (int64_t)head_field(entry(t, (uint32_t)v), 1) : -1;
}

const char *uf_strtab_str(const uf_strtab *t, uint32_t i) { return entry(t, t->refs[i]) + HEAD; }

size_t uf_strtab_len(const uf_strtab *t, uint32_t i) { return head_field(entry(t, t->refs[i]), 0); }

size_t uf_strtab_count(const uf_strtab *t) { return t->count; }

void uf_strtab_free(uf_strtab *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nchunks; i++)
        free(t->chunks[i]);
    free(t->chunks);
    free(t->refs);
    free(t->slots);
    free(t);
}
