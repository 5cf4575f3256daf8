// RUN: %check_kmark %s kmark-missing-read-once %t --config MinConfidence=low -- %kernel_flags
// A function that reads a field with READ_ONCE() in one place and plainly
// in another is inconsistent with itself: a double fetch.  Less so where
// the plain read follows a marked one it relies on, an acquire or a
// pre-check before a lock: low tier then.
#include <net/tcp.h>

void cwnd_writer(struct tcp_sock *tp, u32 v)
{
	WRITE_ONCE(tp->snd_cwnd, v);
}

u32 cwnd_report(struct tcp_sock *tp)
{
	u32 a = READ_ONCE(tp->snd_cwnd);

	return a + tp->snd_cwnd;
	// CHECK-MESSAGES: :[[@LINE-1]]:13: warning: plain load of 'tcp_sock::snd_cwnd' races with cwnd_writer(), which writes it with WRITE_ONCE(); cwnd_report() reads it with READ_ONCE() elsewhere (confidence: high, 70) [kmark-missing-read-once]
	// CHECK-FIXES: return a + READ_ONCE(tp->snd_cwnd);
}

u32 cwnd_report_twice(struct tcp_sock *tp)
{
	u32 a = tp->snd_cwnd;
	// CHECK-MESSAGES: :[[@LINE-1]]:10: warning: plain load of 'tcp_sock::snd_cwnd' races with cwnd_writer(), which writes it with WRITE_ONCE(); cwnd_report_twice() reads it with READ_ONCE() elsewhere (confidence: high, 70) [kmark-missing-read-once]
	// CHECK-FIXES: u32 a = READ_ONCE(tp->snd_cwnd);

	return a + READ_ONCE(tp->snd_cwnd);
}

struct ring {
	spinlock_t lock;
	unsigned int flags;
};

void ring_enable(struct ring *r)
{
	smp_store_release(&r->flags, 1);
}

unsigned int ring_after_acquire(struct ring *r)
{
	if (!smp_load_acquire(&r->flags))
		return 0;
	return r->flags & 2;
	// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: plain load of 'ring::flags' races with ring_enable(), which writes it with smp_store_release(); ring_after_acquire() reads it with smp_load_acquire() before it (confidence: low, 40) [kmark-missing-read-once]
	// CHECK-FIXES: return READ_ONCE(r->flags) & 2;
}

unsigned int ring_recheck_locked(struct ring *r)
{
	unsigned int f;

	if (!READ_ONCE(r->flags))
		return 0;
	spin_lock(&r->lock);
	f = r->flags;
	// CHECK-MESSAGES: :[[@LINE-1]]:6: warning: plain load of 'ring::flags' races with ring_enable(), which writes it with smp_store_release(); ring_recheck_locked() reads it with READ_ONCE() before it (confidence: low, 15) [kmark-missing-read-once]
	// CHECK-FIXES: f = READ_ONCE(r->flags);
	spin_unlock(&r->lock);
	return f;
}

unsigned int ring_acquire_on_one_path(struct ring *r, int fast)
{
	unsigned int f = 0;

	if (fast)
		f = smp_load_acquire(&r->flags);
	return f | r->flags;
	// CHECK-MESSAGES: :[[@LINE-1]]:13: warning: plain load of 'ring::flags' races with ring_enable(), which writes it with smp_store_release(); ring_acquire_on_one_path() reads it with smp_load_acquire() elsewhere (confidence: high, 70) [kmark-missing-read-once]
	// CHECK-FIXES: return f | READ_ONCE(r->flags);
}
