// RUN: %check_kmark %s kmark-missing-write-once %t --config MinConfidence=low -- %kernel_flags
// tcp_congestion_ops.init is not init: it runs on a live, hashed socket,
// so its plain store is reported (unlike proto.init).
#include <net/tcp.h>

struct tcp_congestion_ops {
	void (*init)(struct sock *sk);
};

u32 cwnd_reader(struct tcp_sock *tp)
{
	return READ_ONCE(tp->snd_cwnd);
}

static void cc_init(struct sock *sk)
{
	tcp_sk(sk)->snd_cwnd = 2;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'tcp_sock::snd_cwnd' {{.*}} [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(tcp_sk(sk)->snd_cwnd, 2);
}

struct tcp_congestion_ops my_cc = {
	.init = cc_init,
};
