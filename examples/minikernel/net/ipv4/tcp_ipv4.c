// SPDX-License-Identifier: GPL-2.0
/* IPv4's connect and init for TCP, written for kmark after the shapes of
 * net/ipv4/tcp_ipv4.c. */
#include <net/tcp.h>

int tcp_v4_connect(struct sock *sk, struct sockaddr *uaddr, int addr_len)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_seq_ts st = secure_tcp_seq_ts(sk);

	/* The writer's own read under the socket lock stays plain. */
	if (!tp->write_seq)
		WRITE_ONCE(tp->write_seq, st.seq);
	WRITE_ONCE(tp->tsoffset, st.ts_off);
	return 0;
}

static int tcp_v4_init_sock(struct sock *sk)
{
	tcp_init_sock(sk);
	return 0;
}

struct proto tcp_prot = {
	.connect = tcp_v4_connect,
	.init = tcp_v4_init_sock,
};
