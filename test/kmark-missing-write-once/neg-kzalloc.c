// RUN: %check_kmark %s 'kmark-*' %t --config MinConfidence=0 -- %kernel_flags
// An object fresh from an allocator is not yet published.
#include <net/tcp.h>

u32 ts_reader(struct tcp_sock *tp)
{
	return READ_ONCE(tp->tsoffset);
}

struct tcp_sock *make(void)
{
	struct tcp_sock *tp = kzalloc(sizeof(*tp), GFP_KERNEL);

	if (tp)
		tp->tsoffset = 1;
	return tp;
}

/* Since 6.10 the allocators are macros around their _noprof functions, and
 * the pointer may be declared first (with __free()) and assigned after.
 * Regression: 6.12's alloc_buffer() in kernel/trace/ring_buffer.c. */
void *kzalloc_noprof(unsigned long size, int flags);
#define kzalloc_612(...) kzalloc_noprof(__VA_ARGS__)

struct tcp_sock *make_612(void)
{
	struct tcp_sock *tp = NULL;

	tp = kzalloc_612(sizeof(*tp), GFP_KERNEL);
	if (!tp)
		return NULL;
	tp->tsoffset = 2;
	return tp;
}
