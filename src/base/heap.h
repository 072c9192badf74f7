// Heap set-up for start-up speed.
//
// On virtual machines that shadow the guest's page tables, the first touch
// of every 4 KiB page of fresh memory costs a trip to the hypervisor, about
// 10 us (measured on the machines sqlmend is benchmarked on: 1300 pages in
// 13-18 ms, against 0.4-0.6 ms when the same memory is backed by transparent
// huge pages). A command that parses a 50-revision project touches about
// 1100 heap pages, so that cost was a third of `upgrade head`.
//
// PrepareHeap() (first thing in main) and PrepareThreadHeap() (first thing
// in a worker thread) ask the kernel to back the allocator's heap with
// transparent huge pages where it allows them (the "madvise" and "always"
// modes of /sys/kernel/mm/transparent_hugepage/enabled), and keep the
// allocator from handing that memory back between uses. Where huge pages are
// unavailable, or under the sanitizers (which bring their own allocator),
// they change nothing. The price is resident memory rounded up to 2 MiB
// steps: a few MiB.
#pragma once

namespace sqlmend::base {

void PrepareHeap();
void PrepareThreadHeap();

}  // namespace sqlmend::base
