// The compiler's cache prefetch hint, which Swift cannot spell. Header-only: the call is inlined.
static inline void cellar_prefetch_for_write(const void *address) {
    __builtin_prefetch(address, 1, 3);
}
