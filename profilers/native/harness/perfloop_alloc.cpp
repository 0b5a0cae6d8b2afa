// Heap accounting for Perfloop's memory mode: the malloc family, interposed, forwarding to glibc's own allocator
// (__libc_malloc & co.) and counting live bytes (malloc_usable_size) and their peak. Linked only into memory-mode
// executables, never into sanitizer builds (the sanitizers replace malloc themselves). operator new and delete go
// through malloc and free in libstdc++, so C++ allocations are counted too. glibc only.
//
// The harness reaches the counters through weak declarations (perfloop_harness.hpp), so executables built without
// this file still link; it then reports peakBytes 0.
#include <atomic>
#include <cerrno>
#include <cstddef>
#include <malloc.h>
#include <stdlib.h>

extern "C" {
void* __libc_malloc(size_t size) noexcept;
void __libc_free(void* pointer) noexcept;
void* __libc_calloc(size_t count, size_t size) noexcept;
void* __libc_realloc(void* pointer, size_t size) noexcept;
void* __libc_memalign(size_t alignment, size_t size) noexcept;
void* __libc_valloc(size_t size) noexcept;
void* __libc_pvalloc(size_t size) noexcept;
}

namespace {

// Constant-initialised: usable from the first allocation of the process, before any constructor runs.
std::atomic<long long> liveBytes{0};
std::atomic<long long> peakBytes{0};

inline long long usable(void* pointer) { return pointer != nullptr ? static_cast<long long>(malloc_usable_size(pointer)) : 0; }

inline void raisePeak(long long now) {
  long long peak = peakBytes.load(std::memory_order_relaxed);
  while (now > peak && !peakBytes.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
  }
}

inline void* counted(void* pointer) {
  if (pointer != nullptr) {
    long long size = usable(pointer);
    raisePeak(liveBytes.fetch_add(size, std::memory_order_relaxed) + size);
  }
  return pointer;
}

inline bool validPosixAlignment(size_t alignment) {
  return alignment != 0 && alignment % sizeof(void*) == 0 && (alignment & (alignment - 1)) == 0;
}

}  // namespace

extern "C" {

void* malloc(size_t size) noexcept { return counted(__libc_malloc(size)); }

void free(void* pointer) noexcept {
  if (pointer == nullptr) return;
  liveBytes.fetch_sub(usable(pointer), std::memory_order_relaxed);
  __libc_free(pointer);
}

void* calloc(size_t count, size_t size) noexcept { return counted(__libc_calloc(count, size)); }

void* realloc(void* pointer, size_t size) noexcept {
  long long before = usable(pointer);
  void* moved = __libc_realloc(pointer, size);
  if (moved != nullptr) {
    long long after = usable(moved);
    raisePeak(liveBytes.fetch_add(after - before, std::memory_order_relaxed) + (after - before));
  } else if (pointer != nullptr && size == 0) {
    liveBytes.fetch_sub(before, std::memory_order_relaxed);  // glibc's realloc(p, 0) frees p
  }
  return moved;
}

void* memalign(size_t alignment, size_t size) noexcept { return counted(__libc_memalign(alignment, size)); }

void* aligned_alloc(size_t alignment, size_t size) noexcept {
  if (alignment == 0 || (alignment & (alignment - 1)) != 0) {
    errno = EINVAL;
    return nullptr;
  }
  return counted(__libc_memalign(alignment, size));
}

int posix_memalign(void** out, size_t alignment, size_t size) noexcept {
  if (!validPosixAlignment(alignment)) return EINVAL;
  void* pointer = __libc_memalign(alignment, size);
  if (pointer == nullptr) return ENOMEM;
  *out = counted(pointer);
  return 0;
}

void* valloc(size_t size) noexcept { return counted(__libc_valloc(size)); }

void* pvalloc(size_t size) noexcept { return counted(__libc_pvalloc(size)); }

/** Bytes live on the heap now (usable sizes). */
long long perfloop_alloc_current(void) { return liveBytes.load(std::memory_order_relaxed); }

/** The highest perfloop_alloc_current() since the last reset. */
long long perfloop_alloc_peak(void) { return peakBytes.load(std::memory_order_relaxed); }

/** Starts a new peak from the current live bytes. */
void perfloop_alloc_reset_peak(void) { peakBytes.store(liveBytes.load(std::memory_order_relaxed), std::memory_order_relaxed); }
}
