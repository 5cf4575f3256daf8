// RUN: %check_kmark %s kmark-missing-write-once %t -- %kernel_flags
// A READ_ONCE() written inside another macro's argument (drm_WARN_ON(dev,
// READ_ONCE(vblank->enabled)) in drm_vblank.c) is a READ_ONCE(): the note
// names it so, not "a volatile cast".  The volatile access's location is
// first an expansion of the outer macro's argument, which the marking's
// own macros sit behind.
#include <linux/lock.h>

void vb_complain(void);
#define VB_WARN(cond) ({ int __c = !!(cond); if (__c) vb_complain(); __c; })
#define VB_WARN_DEV(dev, cond) VB_WARN(cond)

struct vb {
	spinlock_t lock;
	int enabled;
};

void vb_release(struct vb *v)
{
	VB_WARN_DEV(v, READ_ONCE(v->enabled));
}

void vb_disable(struct vb *v)
{
	spin_lock(&v->lock);
	v->enabled = 0;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'vb::enabled' races with lockless reader vb_release(), which holds no lock; this store holds 'vb::lock' (confidence: medium, 60) [kmark-missing-write-once]
	// CHECK-MESSAGES: :20:27: note: vb_release() reads 'v->enabled' with READ_ONCE() and no lock, while this store holds 'vb::lock'
	// CHECK-FIXES: WRITE_ONCE(v->enabled, 0);
	spin_unlock(&v->lock);
}

/* The same for a READ_ONCE() in the value of a WRITE_ONCE(): the read's
   location is an expansion of WRITE_ONCE()'s argument. */
struct vc {
	spinlock_t lock;
	int on;
	int copy;
};

void vc_snap(struct vc *v)
{
	WRITE_ONCE(v->copy, READ_ONCE(v->on));
}

void vc_off(struct vc *v)
{
	spin_lock(&v->lock);
	v->on = 0;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'vc::on' races with lockless reader vc_snap(), which holds no lock; this store holds 'vc::lock' (confidence: medium, 60) [kmark-missing-write-once]
	// CHECK-MESSAGES: :43:32: note: vc_snap() reads 'v->on' with READ_ONCE() and no lock, while this store holds 'vc::lock'
	// CHECK-FIXES: WRITE_ONCE(v->on, 0);
	spin_unlock(&v->lock);
}
