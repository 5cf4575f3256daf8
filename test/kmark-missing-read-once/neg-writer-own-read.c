// RUN: %check_kmark %s 'kmark-*' %t --config MinConfidence=0 -- %kernel_flags
// With a lockless reader, writers use WRITE_ONCE() but their own reads
// under the lock stay plain: `if (!tp->write_seq) WRITE_ONCE(...)` and
// WRITE_ONCE(x, x + n).
#include <net/tcp.h>

u32 seq_reader(struct tcp_sock *tp)
{
	return READ_ONCE(tp->write_seq);
}

void seq_writer(struct tcp_sock *tp, u32 seq)
{
	lock_sock(&tp->sk);
	if (!tp->write_seq)
		WRITE_ONCE(tp->write_seq, seq);
	WRITE_ONCE(tp->write_seq, tp->write_seq + 1);
	release_sock(&tp->sk);
}
