// RUN: %check_kmark %s kmark-missing-write-once %t --config MinConfidence=low -- %kernel_flags
// A store spelled in a macro body cannot be edited at the use: not
// reported.  A store written in a macro argument is the user's text and is
// fixed there.  A field reached through a macro (sk_hash stands for
// __sk_common.skc_hash) is keyed by its real field and fixed as spelled.
#include <net/tcp.h>

#define SET_CWND(tp, v) ((tp)->snd_cwnd = (v))
#define ONCE(stmt) do { stmt; } while (0)

u32 readers(struct tcp_sock *tp)
{
	return READ_ONCE(tp->snd_cwnd) + READ_ONCE(tp->sk.sk_hash);
}

void writers(struct tcp_sock *tp, u32 v)
{
	SET_CWND(tp, v);
	ONCE(tp->snd_cwnd = v);
	// CHECK-MESSAGES: :[[@LINE-1]]:7: warning: plain store to 'tcp_sock::snd_cwnd' {{.*}} [kmark-missing-write-once]
	// CHECK-FIXES: ONCE(WRITE_ONCE(tp->snd_cwnd, v));
	tp->sk.sk_hash = v;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'sock_common::skc_hash' {{.*}} [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(tp->sk.sk_hash, v);
}
