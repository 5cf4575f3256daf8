// RUN: %check_kmark %s 'kmark-*' %t -- %kernel_flags
// RUN: %check_kmark %s 'kmark-*' %t.low --check-suffix=LOW --config MinConfidence=low -- %kernel_flags
// A plain read with nothing to say it runs locklessly (no marked read in
// the same function, no peer in its ops slot that marks it, not a lockless
// callback) is taken to run under the writers' lock, like the tsoffset reads
// in tcp_output.c: not reported by default.  That no lock is visible in the
// function is weak evidence, reported only at the low tier.
#include <net/tcp.h>

void ts_writer(struct tcp_sock *tp, u32 v)
{
	WRITE_ONCE(tp->tsoffset, v);
}

u32 ts_user(const struct tcp_sock *tp, u32 now)
{
	return now + tp->tsoffset;
	// CHECK-MESSAGES-LOW: :[[@LINE-1]]:15: warning: plain load of 'tcp_sock::tsoffset' races with ts_writer(), which writes it with WRITE_ONCE(); no lock is visibly held in ts_user() (confidence: low, {{[0-9]+}}) [kmark-missing-read-once]
}
