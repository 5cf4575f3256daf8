// SPDX-License-Identifier: GPL-2.0
/* A child socket cloned from a listener, written for kmark after the
 * shapes of net/ipv4/tcp_minisocks.c.  The clone is not yet published. */
#include <net/tcp.h>

struct sock *tcp_create_child(const struct sock *sk, u32 ts_off)
{
	struct sock *newsk = sk_clone_lock(sk, 0);

	if (newsk) {
		struct tcp_sock *newtp = tcp_sk(newsk);

		newtp->tsoffset = ts_off;
	}
	return newsk;
}
