// RUN: %check_kmark %s 'kmark-*' %t --config MinConfidence=0 -- %kernel_flags
// A field declared __data_racy is racy by design.
#include <net/sock.h>

u32 mark_reader(struct sock *sk)
{
	return READ_ONCE(sk->sk_mark);
}

void mark_writer(struct sock *sk, u32 m)
{
	sk->sk_mark = m;
}
