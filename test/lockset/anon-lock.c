// RUN: %check_kmark %s 'kmark-*' %t --config MinConfidence=0 -- %kernel_flags
// A lock in an anonymous struct has a class like any other: the callers of
// st_peek_locked() all hold it, so its read races with no writer.
#include <linux/lock.h>

static struct {
	spinlock_t lock;
	unsigned int v;
} st;

void st_set(unsigned int v)
{
	spin_lock(&st.lock);
	WRITE_ONCE(st.v, v);
	spin_unlock(&st.lock);
}

static unsigned int st_peek_locked(void)
{
	return st.v;
}

unsigned int st_report(void)
{
	unsigned int v;

	spin_lock(&st.lock);
	v = st_peek_locked();
	spin_unlock(&st.lock);
	return v;
}

unsigned int st_peek(void)
{
	return st.v;
	// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: plain load of '(anonymous at {{.*}}anon-lock.c{{.*}}:6)::v' races with st_set(), which writes it with WRITE_ONCE(); no lock is visibly held in st_peek() (confidence: low, 35) [kmark-missing-read-once]
	// CHECK-MESSAGES: :14:13: note: st_set() writes 'st.v' with WRITE_ONCE()
	// CHECK-FIXES: return READ_ONCE(st.v);
}
