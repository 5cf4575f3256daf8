// RUN: %check_kmark %s kmark-missing-write-once %t --config MinConfidence=low -- %kernel_flags
// NOLINT comments suppress kmark's warnings like any clang-tidy check's.
#include <net/tcp.h>

u32 cwnd_reader(struct tcp_sock *tp)
{
	return READ_ONCE(tp->snd_cwnd);
}

void cwnd_writer(struct tcp_sock *tp)
{
	tp->snd_cwnd = 1; // NOLINT(kmark-missing-write-once)
	// NOLINTNEXTLINE(kmark-*)
	tp->snd_cwnd = 2;
	tp->snd_cwnd = 3; // NOLINT(bugprone-*): another check's name does not
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'tcp_sock::snd_cwnd' {{.*}} [kmark-missing-write-once]
}
