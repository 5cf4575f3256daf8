// RUN: %check_kmark %s 'kmark-*' %t --config MinConfidence=0 -- %kernel_flags
// atomic_t and friends are accessed through their own marked helpers: the
// field itself is never a plain access.
#include <net/sock.h>

int drops_reader(struct sock *sk)
{
	return atomic_read(&sk->sk_drops);
}

void drops_writer(struct sock *sk)
{
	atomic_set(&sk->sk_drops, 0);
	sk->sk_drops = (atomic_t){0};
}
