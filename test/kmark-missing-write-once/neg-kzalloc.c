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
