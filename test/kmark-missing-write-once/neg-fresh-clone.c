// RUN: %check_kmark %s 'kmark-*' %t --config MinConfidence=0 -- %kernel_flags
// A socket fresh from a cloner is not yet published, even seen through
// tcp_sk() (tcp_create_openreq_child's newtp->tsoffset).
#include <net/tcp.h>

u32 ts_reader(struct tcp_sock *tp)
{
	return READ_ONCE(tp->tsoffset);
}

struct sock *make_child(const struct sock *sk, u32 ts)
{
	struct sock *newsk = sk_clone_lock(sk, 0);

	if (newsk) {
		struct tcp_sock *newtp = tcp_sk(newsk);

		newtp->tsoffset = ts;
	}
	return newsk;
}
