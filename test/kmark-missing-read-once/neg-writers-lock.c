// RUN: %check_kmark %s 'kmark-*' %t --config MinConfidence=0 -- %kernel_flags
// Regression (found on the development set: async->cb under async->lock,
// rcu_node::qsmask under the rcu_node lock, perf_event_context::task under
// perf_ctx_lock(), lru_gen min_seq under the caller's lru_lock): a read
// under the lock that every writer holds races with no writer and stays
// plain, however the lock is held: taken here, through a lock wrapper of
// this file, asserted, or taken by every caller of a static function.
#include <linux/lock.h>

struct grp {
	spinlock_t lock;
	struct mutex m;
	unsigned long mask;
	unsigned long busy;
};

/* The writers, all under grp::lock; one marks for the lockless reader. */
void grp_set(struct grp *g, unsigned long bits)
{
	spin_lock(&g->lock);
	WRITE_ONCE(g->mask, g->mask | bits);
	spin_unlock(&g->lock);
}

void grp_clear(struct grp *g)
{
	spin_lock(&g->lock);
	g->mask = 0;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'grp::mask' races with lockless reader grp_peek(){{.*}} [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(g->mask, 0);
	spin_unlock(&g->lock);
}

unsigned long grp_peek(struct grp *g)
{
	return READ_ONCE(g->mask);
}

/* A lockless check, then the re-read under the writers' lock. */
unsigned long grp_take(struct grp *g)
{
	unsigned long m;

	if (!READ_ONCE(g->mask))
		return 0;
	spin_lock(&g->lock);
	m = g->mask;
	spin_unlock(&g->lock);
	return m;
}

static void grp_lock(struct grp *g)
{
	spin_lock(&g->lock);
}

unsigned long grp_take_wrapped(struct grp *g)
{
	unsigned long m;

	if (!READ_ONCE(g->mask))
		return 0;
	grp_lock(g);
	m = g->mask;
	spin_unlock(&g->lock);
	return m;
}

unsigned long grp_asserted(struct grp *g)
{
	lockdep_assert_held(&g->lock);
	if (!READ_ONCE(g->mask))
		return 0;
	return g->mask;
}

/* Called only with the lock held: its callers hold it for it. */
static unsigned long grp_locked_helper(struct grp *g)
{
	if (!READ_ONCE(g->mask))
		return 0;
	return g->mask;
}

unsigned long grp_caller(struct grp *g)
{
	unsigned long m;

	spin_lock(&g->lock);
	m = grp_locked_helper(g);
	spin_unlock(&g->lock);
	return m;
}

/* Still findings: another lock, and a helper one caller calls unlocked. */
unsigned long grp_other_lock(struct grp *g)
{
	unsigned long m;

	if (!READ_ONCE(g->mask))
		return 0;
	mutex_lock(&g->m);
	m = g->mask;
	// CHECK-MESSAGES: :[[@LINE-1]]:6: warning: plain load of 'grp::mask' races with grp_set(), which writes it with WRITE_ONCE(); grp_other_lock() reads it with READ_ONCE() before it (confidence: low, {{[0-9]+}}) [kmark-missing-read-once]
	// CHECK-FIXES: m = READ_ONCE(g->mask);
	mutex_unlock(&g->m);
	return m;
}

static unsigned long grp_mixed_helper(struct grp *g)
{
	if (!READ_ONCE(g->mask))
		return 0;
	return g->mask;
	// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: plain load of 'grp::mask' races with grp_set(), which writes it with WRITE_ONCE(); grp_mixed_helper() reads it with READ_ONCE() elsewhere (confidence: {{(medium|high)}}, {{[0-9]+}}) [kmark-missing-read-once]
	// CHECK-FIXES: return READ_ONCE(g->mask);
}

unsigned long grp_mixed_locked(struct grp *g)
{
	unsigned long m;

	spin_lock(&g->lock);
	m = grp_mixed_helper(g);
	spin_unlock(&g->lock);
	return m;
}

unsigned long grp_mixed_unlocked(struct grp *g)
{
	return grp_mixed_helper(g);
}

/* Called with the lock held, it drops it and reads: that read is lockless,
 * though every caller holds the lock on entry.  (The 6.1 shape this came
 * from, scan_swap_map_slots(), calls lock helpers first and is still a
 * miss: docs/evaluation.md.) */
static unsigned long grp_drop_and_read(struct grp *g)
{
	unsigned long m;

	if (!READ_ONCE(g->mask))
		return 0;
	spin_unlock(&g->lock);
	m = g->mask;
	// CHECK-MESSAGES: :[[@LINE-1]]:6: warning: plain load of 'grp::mask' races with grp_set(), which writes it with WRITE_ONCE(); grp_drop_and_read() reads it with READ_ONCE() elsewhere (confidence: {{.*}}) [kmark-missing-read-once]
	// CHECK-FIXES: m = READ_ONCE(g->mask);
	spin_lock(&g->lock);
	return m;
}

unsigned long grp_drop_caller(struct grp *g)
{
	unsigned long m;

	spin_lock(&g->lock);
	m = grp_drop_and_read(g);
	spin_unlock(&g->lock);
	return m;
}

/* Regression (rcu_report_qs_rnp(), kernel/rcu/tree.c): an early return
 * that drops the lock through a do-while(0) macro leaves the lock held on
 * the path that goes on. */
#define grp_unlock_irqrestore(g, f)                                            \
	do {                                                                   \
		spin_unlock_irqrestore(&(g)->lock, f);                         \
	} while (0)

unsigned long grp_report(struct grp *g, unsigned long bits, unsigned long f)
{
	lockdep_assert_held(&g->lock);
	if (!(READ_ONCE(g->mask) & bits)) {
		grp_unlock_irqrestore(g, f);
		return 0;
	}
	return g->mask;
}

/* Regression (6.1 scan_swap_map_slots(), mm/swapfile.c): a helper that
 * drops and retakes its caller's lock in a loop spelled with a backward
 * goto leaves the lock as it found it.  The caller's read after its own
 * unlock, on another branch, is lockless. */
static void grp_relax(struct grp *g)
{
again:
	if (g->busy) {
		spin_unlock(&g->lock);
		spin_lock(&g->lock);
		goto again;
	}
}

static unsigned long grp_scan(struct grp *g)
{
	unsigned long m = 0;

	if (g->busy) {
		grp_relax(g);
	} else {
		spin_unlock(&g->lock);
		m = g->mask;
		// CHECK-MESSAGES: :[[@LINE-1]]:7: warning: plain load of 'grp::mask' races with grp_set(), which writes it with WRITE_ONCE(); no lock is visibly held in grp_scan() (confidence: low, {{[0-9]+}}) [kmark-missing-read-once]
		// CHECK-FIXES: m = READ_ONCE(g->mask);
		spin_lock(&g->lock);
	}
	return m;
}

unsigned long grp_scan_caller(struct grp *g)
{
	unsigned long m;

	spin_lock(&g->lock);
	m = grp_scan(g);
	spin_unlock(&g->lock);
	return m;
}

/* A per-CPU local_lock is a lock too (slub's kmem_cache_cpu::tid): the
 * read under it races with no store, and the store's lockless reader is
 * pcp_fast(), not the read beside it. */
struct pcp {
	local_lock_t lock;
	unsigned long tid;
};

unsigned long pcp_fast(struct pcp *p)
{
	return READ_ONCE(p->tid);
}

void pcp_next(struct pcp *p)
{
	local_lock(&p->lock);
	p->tid = p->tid + 1;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'pcp::tid' races with lockless reader pcp_fast(){{.*}} [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(p->tid, p->tid + 1);
	local_unlock(&p->lock);
}

/* An unlock-and-continue leaves the rest of the loop body under the lock
 * (vmalloc.c's vb_alloc()). */
unsigned long grp_pick(struct grp *gs, int n)
{
	unsigned long m = 0;

	for (int i = 0; i < n; i++) {
		if (!READ_ONCE(gs[i].mask))
			continue;
		spin_lock(&gs[i].lock);
		if (gs[i].busy) {
			spin_unlock(&gs[i].lock);
			continue;
		}
		m = gs[i].mask;
		spin_unlock(&gs[i].lock);
		break;
	}
	return m;
}

/* An unlock-and-goto-relock leaves the code after it under the lock
 * (kernel/signal.c's get_signal()), while the code between that unlock
 * and its goto runs without it. */
void grp_wait(struct grp *g);

unsigned long grp_relock(struct grp *g)
{
	unsigned long m;

relock:
	spin_lock(&g->lock);
	if (g->busy) {
		spin_unlock(&g->lock);
		m = g->mask;
		// CHECK-MESSAGES: :[[@LINE-1]]:7: warning: plain load of 'grp::mask' races with grp_set(), which writes it with WRITE_ONCE(){{.*}} [kmark-missing-read-once]
		// CHECK-FIXES: m = READ_ONCE(g->mask);
		if (m)
			grp_wait(g);
		goto relock;
	}
	m = g->mask;
	spin_unlock(&g->lock);
	return m;
}
