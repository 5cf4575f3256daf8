// SPDX-License-Identifier: GPL-2.0
/* IPv6's connect and init for TCP, written for kmark after the shapes of
 * net/ipv6/tcp_ipv6.c in Linux 6.12, where the store below is plain. */
#include <net/tcp.h>

int tcp_v6_connect(struct sock *sk, struct sockaddr *uaddr, int addr_len)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_seq_ts st = secure_tcp_seq_ts(sk);

	if (!tp->write_seq)
		WRITE_ONCE(tp->write_seq, st.seq);
	tp->tsoffset = st.ts_off;
	return 0;
}

static int tcp_v6_init_sock(struct sock *sk)
{
	tcp_init_sock(sk);
	return 0;
}

struct proto tcpv6_prot = {
	.connect = tcp_v6_connect,
	.init = tcp_v6_init_sock,
};
