// RUN: %check_kmark %s kmark-missing-write-once %t --config MinConfidence=low -- %kernel_flags
// Read-modify-writes become WRITE_ONCE(x, x OP value): the writer's own read
// stays plain (writers are serialised), the value is parenthesised.
#include <net/tcp.h>

u64 cwnd_reader(struct tcp_sock *tp)
{
	return READ_ONCE(tp->snd_cwnd) + READ_ONCE(tp->bytes_acked);
}

void cwnd_writer(struct tcp_sock *tp, u32 n, u32 a, u32 b)
{
	tp->snd_cwnd += n;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain read-modify-write to 'tcp_sock::snd_cwnd' races with lockless reader cwnd_reader() (confidence: low, {{[0-9]+}}) [kmark-missing-write-once]
	// CHECK-MESSAGES: :8:19: note: cwnd_reader() reads 'tp->snd_cwnd' locklessly with READ_ONCE()
	// CHECK-FIXES: WRITE_ONCE(tp->snd_cwnd, tp->snd_cwnd + n);
	tp->snd_cwnd *= a + b;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain read-modify-write to 'tcp_sock::snd_cwnd' {{.*}} [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(tp->snd_cwnd, tp->snd_cwnd * (a + b));
	tp->bytes_acked++;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain read-modify-write to 'tcp_sock::bytes_acked' {{.*}} [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(tp->bytes_acked, tp->bytes_acked + 1);
	--tp->snd_cwnd;
	// CHECK-MESSAGES: :[[@LINE-1]]:4: warning: plain read-modify-write to 'tcp_sock::snd_cwnd' {{.*}} [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(tp->snd_cwnd, tp->snd_cwnd - 1);
	tp->snd_cwnd <<= 1;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain read-modify-write to 'tcp_sock::snd_cwnd' {{.*}} [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(tp->snd_cwnd, tp->snd_cwnd << 1);
}
