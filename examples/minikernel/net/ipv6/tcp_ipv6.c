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
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'tcp_sock::tsoffset' races with lockless reader do_tcp_getsockopt(); tcp_v4_connect(), also 'proto.connect', uses WRITE_ONCE() (confidence: high, {{[0-9]+}}) [kmark-missing-write-once]
	// CHECK-MESSAGES: net/ipv4/tcp.c:34:20: note: do_tcp_getsockopt() reads 'tp->tsoffset' locklessly with READ_ONCE()
	// CHECK-MESSAGES: net/ipv4/tcp_ipv4.c:14:13: note: tcp_v4_connect(), also 'proto.connect' of 'tcp_prot', writes it with WRITE_ONCE()
	// CHECK-FIXES: WRITE_ONCE(tp->tsoffset, st.ts_off);
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
