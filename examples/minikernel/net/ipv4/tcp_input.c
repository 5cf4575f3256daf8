// SPDX-License-Identifier: GPL-2.0
/* Error reporting and a timestamp read on TCP's receive path, written for
 * kmark after the shapes of net/ipv4/tcp_input.c. */
#include <net/tcp.h>

void tcp_done_with_error(struct sock *sk, int err)
{
	WRITE_ONCE(sk->sk_err, err);
}

/* Runs under the socket lock, like every writer of tsoffset: plain. */
u32 tcp_rcv_tsval(const struct tcp_sock *tp, u32 tsval)
{
	return tsval - tp->tsoffset;
}
