// RUN: %check_kmark %s 'kmark-*' %t --config MinConfidence=low -- %kernel_flags
// Odd macro shapes must neither crash nor mislead: token pasting, accessors
// that expand to a member access, nested wrappers around READ_ONCE, a macro
// that expands to an assignment, and one that names the field itself.
#include <net/tcp.h>

#define FIELD(p, f) ((p)->f)
#define PASTE(a, b) a##b
#define MY_READ(p) READ_ONCE((p)->snd_cwnd)
#define WRAP(x) (x)
#define TWICE(x) ((x) + (x))
#define ASSIGN_ALL(p, v) do { (p)->snd_cwnd = (v); (p)->write_seq = (v); } while (0)
#define CWND snd_cwnd

u32 readers(struct tcp_sock *tp)
{
	return MY_READ(tp) + WRAP(READ_ONCE(tp->write_seq)) +
	       READ_ONCE(FIELD(tp, bytes_acked));
}

void writers(struct tcp_sock *tp, u32 v)
{
	ASSIGN_ALL(tp, v);
	FIELD(tp, bytes_acked) = v;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'tcp_sock::bytes_acked' {{.*}} [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(FIELD(tp, bytes_acked), v);
	tp->PASTE(snd_, cwnd) = v;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'tcp_sock::snd_cwnd' {{.*}} [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(tp->PASTE(snd_, cwnd), v);
	tp->CWND = TWICE(v);
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'tcp_sock::snd_cwnd' {{.*}} [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(tp->CWND, TWICE(v));
}

// A macro that mentions its argument twice yields one finding, one fix.
#define TWICE_READ(x) ((x) > 0 ? (x) : 0)
void cwnd_writer2(struct tcp_sock *tp, u32 v)
{
	WRITE_ONCE(tp->write_seq, v);
}
u32 twice(struct tcp_sock *tp)
{
	u32 a = READ_ONCE(tp->write_seq);
	return a + TWICE_READ(tp->write_seq);
	// CHECK-MESSAGES: :[[@LINE-1]]:24: warning: plain load of 'tcp_sock::write_seq' {{.*}} [kmark-missing-read-once]
	// CHECK-FIXES: return a + TWICE_READ(READ_ONCE(tp->write_seq));
}
