// Two warnings, one expectation: the harness must reject this.
#include <net/tcp.h>

u32 cwnd_reader(struct tcp_sock *tp)
{
	return READ_ONCE(tp->snd_cwnd);
}

void cwnd_writer(struct tcp_sock *tp)
{
	tp->snd_cwnd = 1;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'tcp_sock::snd_cwnd' {{.*}} [kmark-missing-write-once]
	tp->snd_cwnd = 2;
}
