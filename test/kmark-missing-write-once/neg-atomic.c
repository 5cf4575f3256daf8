// RUN: %check_kmark %s 'kmark-*' %t --config MinConfidence=0 -- %kernel_flags
// atomic_t and friends are accessed through their own marked helpers: the
// struct-typed field itself is not an access, not even where it is read
// whole with READ_ONCE() and assigned whole (a reset), so neither makes a
// finding.  Its counter, stored plainly beside a marked reader, is one.
#include <net/sock.h>

int drops_reader(struct sock *sk)
{
	atomic_t snap = READ_ONCE(sk->sk_drops);

	return atomic_read(&sk->sk_drops) + snap.counter;
}

void drops_writer(struct sock *sk)
{
	atomic_set(&sk->sk_drops, 0);
	sk->sk_drops = (atomic_t){0};
}

void drops_reset(struct sock *sk)
{
	sk->sk_drops.counter = 0;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'atomic_t::counter' races with lockless reader drops_reader(){{.*}} [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(sk->sk_drops.counter, 0);
}
