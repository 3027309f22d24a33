package io.omnipeer.rcmgr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omnipeer.rcmgr.ResourceManager.ScopeKind;
import org.junit.jupiter.api.Test;

/** Storage accounting the apps platform calls around each write: the write that crosses the quota is refused. */
class StorageQuotaTest {
    private final ResourceManager resources = new ResourceManager();

    @Test
    void theReservationThatCrossesTheQuotaIsRefusedAndEarlierOnesStay() {
        resources.setAppLimits("org.example.a", new AppLimits(0, 0, 1000, 0));
        resources.reserveStorage("org.example.a", 600);
        resources.reserveStorage("org.example.a", 400);
        assertThatThrownBy(() -> resources.reserveStorage("org.example.a", 1))
                .isInstanceOfSatisfying(ResourceLimitException.class, e -> {
                    assertThat(e.limit()).isEqualTo("storage");
                    assertThat(e.scope()).isEqualTo("app:org.example.a");
                    assertThat(e.current()).isEqualTo(1000);
                    assertThat(e.max()).isEqualTo(1000);
                });
        assertThat(resources.usage("org.example.a").storageBytes()).isEqualTo(1000);
        resources.reserveStorage("org.example.a", -300);
        resources.reserveStorage("org.example.a", 300);
        assertThat(resources.usage("org.example.a").storageBytes()).isEqualTo(1000);
        assertThat(resources.systemScope().usage().storage()).isEqualTo(1000);
    }

    @Test
    void otherAppsAndUnlimitedAppsAreNotAffected() {
        resources.setAppLimits("org.example.a", new AppLimits(0, 0, 10, 0));
        assertThatThrownBy(() -> resources.reserveStorage("org.example.a", 11)).isInstanceOf(ResourceLimitException.class);
        resources.reserveStorage("org.example.b", 1L << 40);
        assertThat(resources.usage("org.example.b").storageBytes()).isEqualTo(1L << 40);
        assertThat(resources.usage("org.example.a").storageBytes()).isZero();
    }

    @Test
    void theSystemStorageLimitAppliesAcrossApps() {
        resources.setDefaultLimits(ScopeKind.SYSTEM, ScopeLimits.UNLIMITED.withStorage(100));
        resources.reserveStorage("org.example.a", 70);
        assertThatThrownBy(() -> resources.reserveStorage("org.example.b", 31))
                .isInstanceOfSatisfying(ResourceLimitException.class, e -> assertThat(e.scope()).isEqualTo("system"));
        resources.reserveStorage("org.example.b", 30);
    }

    @Test
    void storedBytesLoadedAtStartCountAndReleasesNeverGoNegative() {
        resources.setAppLimits("org.example.a", new AppLimits(0, 0, 100, 0));
        resources.setStorageUsed("org.example.a", 90);
        assertThatThrownBy(() -> resources.reserveStorage("org.example.a", 11)).isInstanceOf(ResourceLimitException.class);
        resources.reserveStorage("org.example.a", -1000);
        assertThat(resources.usage("org.example.a").storageBytes()).isZero();
        assertThat(resources.systemScope().usage().storage()).isZero();
    }

    @Test
    void appIdsComeFromTheAppProtocolPrefixOnly() {
        assertThat(ResourceManager.appOf("/omnipeer/app/org.example.chat/msg/1.0.0")).isEqualTo("org.example.chat");
        assertThat(ResourceManager.appOf("/omnipeer/app/org.example.chat")).isNull();
        assertThat(ResourceManager.appOf("/omnipeer/app//x")).isNull();
        assertThat(ResourceManager.appOf("/ipfs/id/1.0.0")).isNull();
        assertThat(ResourceManager.appOf(null)).isNull();
    }
}
