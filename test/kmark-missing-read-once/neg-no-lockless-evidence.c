// RUN: %check_kmark %s 'kmark-*' %t --config MinConfidence=0 -- %kernel_flags
// A plain read with nothing to say it runs locklessly (no marked read in
// the same function, no peer in its ops slot that marks it, not a lockless
// callback) is taken to run under the writers' lock, like the tsoffset reads
// in tcp_output.c.
#include <net/tcp.h>

void ts_writer(struct tcp_sock *tp, u32 v)
{
	WRITE_ONCE(tp->tsoffset, v);
}

u32 ts_user(const struct tcp_sock *tp, u32 now)
{
	return now + tp->tsoffset;
}
