// RUN: %check_kmark %s 'kmark-*' %t -- %kernel_flags
// A struct that lives both on its own and inside another (perf's context,
// alone and in the per-CPU context), reached through plain pointers, so
// kmark knows neither access's kind of object.  The store holds the lock;
// a reader in the same file holds none and uses READ_ONCE(): access-
// marking.txt's lock-protected writes with lockless reads, reported at the
// default tier though the kinds are unknown.
#include <linux/lock.h>

struct ev_ctx {
	spinlock_t lock;
	unsigned int active;
};

struct cpu_ev_ctx {
	struct ev_ctx ctx;
	int online;
};

void ctx_sched_in(struct ev_ctx *ctx, unsigned int what)
{
	spin_lock(&ctx->lock);
	ctx->active |= what;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain read-modify-write to 'ev_ctx::active' races with lockless reader ev_time_now(), which holds no lock; this store holds 'ev_ctx::lock' (confidence: medium, {{[0-9]+}}) [kmark-missing-write-once]
	// CHECK-FIXES: {{^}}	WRITE_ONCE(ctx->active, ctx->active | what);{{$}}
	spin_unlock(&ctx->lock);
}

int ev_time_now(struct ev_ctx *ctx)
{
	return READ_ONCE(ctx->active) & 1;
}

int cpu_ctx_busy(struct cpu_ev_ctx *c)
{
	return c->online && (c->ctx.active & 2);
}
