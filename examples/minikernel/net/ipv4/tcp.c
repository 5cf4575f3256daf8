// SPDX-License-Identifier: GPL-2.0
/* A few of TCP's socket functions, reduced to the accesses kmark reasons
 * about.  Written for kmark; the shapes follow net/ipv4/tcp.c. */
#include <net/tcp.h>

/* Runs from proto.init (tcp_v4_init_sock, tcp_v6_init_sock) before the
 * socket can be reached by another CPU: plain stores are right here. */
void tcp_init_sock(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	tp->tsoffset = 0;
	tp->snd_cwnd = 10;
}

/* Called without the socket lock: reads of what writers change are marked. */
__poll_t tcp_poll(struct socket *sock)
{
	struct sock *sk = sock->sk;
	__poll_t mask = 0;

	if (READ_ONCE(sk->sk_err))
		mask |= 8;
	return mask;
}

/* Reads the option without taking the socket lock. */
int do_tcp_getsockopt(struct sock *sk, int optname, u32 *val)
{
	struct tcp_sock *tp = tcp_sk(sk);

	switch (optname) {
	case 1:
		*val = READ_ONCE(tp->tsoffset);
		return 0;
	case 2:
		*val = READ_ONCE(tp->snd_cwnd);
		return 0;
	}
	return -1;
}
