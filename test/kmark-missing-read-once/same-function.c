// RUN: %check_kmark %s kmark-missing-read-once %t --config MinConfidence=low -- %kernel_flags
// A function that reads a field with READ_ONCE() in one place and plainly
// in another is inconsistent with itself.
#include <net/tcp.h>

void cwnd_writer(struct tcp_sock *tp, u32 v)
{
	WRITE_ONCE(tp->snd_cwnd, v);
}

u32 cwnd_report(struct tcp_sock *tp)
{
	u32 a = READ_ONCE(tp->snd_cwnd);

	return a + tp->snd_cwnd;
	// CHECK-MESSAGES: :[[@LINE-1]]:13: warning: plain load of 'tcp_sock::snd_cwnd' races with cwnd_writer(), which writes it with WRITE_ONCE(); cwnd_report() reads it with READ_ONCE() elsewhere (confidence: {{.*}}) [kmark-missing-read-once]
	// CHECK-FIXES: return a + READ_ONCE(tp->snd_cwnd);
}
