// RUN: %check_kmark %s kmark-missing-write-once %t --config MinConfidence=low -- %kernel_flags
// WRITE_ONCE() is a statement: an assignment whose value is used keeps its
// warning but gets no fix-it.
#include <net/tcp.h>

u32 cwnd_reader(struct tcp_sock *tp)
{
	return READ_ONCE(tp->snd_cwnd);
}

u32 cwnd_writer(struct tcp_sock *tp, u32 n)
{
	u32 old;

	old = tp->snd_cwnd = n;
	// CHECK-MESSAGES: :[[@LINE-1]]:8: warning: plain store to 'tcp_sock::snd_cwnd' races with lockless reader cwnd_reader() (confidence: low, {{[0-9]+}}); no fix-it: the assignment's value is used [kmark-missing-write-once]
	// CHECK-FIXES: old = tp->snd_cwnd = n;
	if ((tp->snd_cwnd = n + 1))
	// CHECK-MESSAGES: :[[@LINE-1]]:7: warning: plain store to 'tcp_sock::snd_cwnd' {{.*}}; no fix-it: the assignment's value is used [kmark-missing-write-once]
	// CHECK-FIXES: if ((tp->snd_cwnd = n + 1))
		return old;
	return tp->snd_cwnd++;
	// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: plain read-modify-write to 'tcp_sock::snd_cwnd' {{.*}}; no fix-it: the assignment's value is used [kmark-missing-write-once]
}
