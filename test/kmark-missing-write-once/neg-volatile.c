// RUN: %check_kmark %s 'kmark-*' %t --config MinConfidence=0 -- %kernel_flags
// A volatile field is marked by its type (skc_state is volatile).
#include <net/sock.h>

int state_reader(struct sock *sk)
{
	return READ_ONCE(sk->sk_state);
}

void state_writer(struct sock *sk)
{
	sk->sk_state = 1;
}
