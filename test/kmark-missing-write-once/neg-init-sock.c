// RUN: %check_kmark %s 'kmark-*' %t --config MinConfidence=0 -- %kernel_flags
// A function called only from a proto.init function runs before the socket
// is published: its plain stores are right (tcp_init_sock).
#include <net/tcp.h>

u32 ts_reader(struct tcp_sock *tp)
{
	return READ_ONCE(tp->tsoffset);
}

void my_init_sock(struct sock *sk)
{
	tcp_sk(sk)->tsoffset = 0;
}

static int my_v4_init_sock(struct sock *sk)
{
	my_init_sock(sk);
	return 0;
}

struct proto my_prot = {
	.init = my_v4_init_sock,
};
