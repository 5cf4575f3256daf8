// RUN: %check_kmark %s kmark-missing-write-once %t -- %kernel_flags
// RUN: %check_kmark %s kmark-missing-write-once %t.low --check-suffix=LOW --config MinConfidence=30 -- %kernel_flags
// RUN: %check_kmark %s kmark-missing-write-once %t.bad --check-suffix=BAD --config MinConfidence=sometimes -- %kernel_flags
// MinConfidence: the default (medium) hides a finding that rests on a lone
// lockless reader; a number or a tier name lowers the bar; a bad value is
// reported and the default used.
#include <net/tcp.h>

u32 cwnd_reader(struct tcp_sock *tp)
{
	return READ_ONCE(tp->snd_cwnd);
}

void cwnd_writer(struct tcp_sock *tp)
{
	tp->snd_cwnd = 1;
	// CHECK-MESSAGES-LOW: :[[@LINE-1]]:2: warning: plain store to 'tcp_sock::snd_cwnd' {{.*}}(confidence: low, 30) [kmark-missing-write-once]
}
// CHECK-MESSAGES-BAD: warning: invalid value 'sometimes' for kmark-missing-write-once.MinConfidence: expected low, medium, high or a number from 0 to 100; using medium [clang-tidy-config]
