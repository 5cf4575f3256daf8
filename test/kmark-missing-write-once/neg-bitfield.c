// RUN: %check_kmark %s 'kmark-*' %t --config MinConfidence=0 -- %kernel_flags
// A bitfield cannot be READ_ONCE()d (upstream widens the field instead), so
// no marked access of one exists to make a plain one inconsistent.
#include <net/sock.h>

int shutdown_reader(struct sock *sk)
{
	return data_race(sk->sk_shutdown);
}

void shutdown_writer(struct sock *sk)
{
	sk->sk_shutdown = 3;
	sk->sk_userlocks |= 1;
}
