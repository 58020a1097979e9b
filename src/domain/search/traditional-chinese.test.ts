/**
 * The UI is Traditional Chinese and regulation text stays as the sources wrote it (Traditional): no
 * Simplified-only character may appear in the web app's strings, the catalog, or server messages.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** Characters that exist only in Simplified Chinese (their Traditional forms differ). */
const SIMPLIFIED_ONLY = '这们说时国发对经过进还见问门开关东车长电书买卖题网页数据库检证资讯设计认权码录验单务报类项档应备阶级协处络护访个为会来动现产从当实后点头两种样区华业专义乐习买乱争亏亚产亿仅仓价众优传伤伦体佣侧侨侦俭债倾偿儿党兰关兴养兽冯冲决况冻净减凤凭击划则刚创删别刹剂剑剧劝办务动劳势勋区医华协单卖卢卫却厅历压厌厕县参双变叙叶号叹吓吗吨听启吴呐员呜响哑哗唤啬喷嘱团园围图圆圣场坏块坚坛坝坞坟坠垄垒垦够头夹夺奋奖妆妇妈娄娱婴宁宝实宠审宪宫宽宾对寻导寿将尔尘尝层屉届属屡岁岂岗岛岭岳峡币帅师帐带帮库应庙庞废开异弃张弥弯归当录彻径忆忧怀态怜总恋恳恶恼悬惊惧惨惩惯愤愿戏战户扑执扩扫扬扰抚抛抢护报拟拢拥择挂挡挤挥损捡换据掳掷揽搀摄摆摇摊撑撵擞敌敛数斋斩断无旧时旷昙显晋晒晓晕暂术机杀杂权条来杨极构枪枫柜标栏树样桥档梦检楼欢欧歼残毁毕毙气汇汉汤沟没沦沪泪泼泽洁洒浅浆浇浊测济浏浑浓涂涛涝润涨渊渐渔温湾湿溃满滤滥滨滩潜灭灯灵灾灿炉点炼烂烛烟烦烧热焕爱爷牵犹狈独狭狮狱献猎环现玛珑琐电画畅疗疟疮疯痒瘫癣皑盏盐监盖盘眯着矫矶矿码砖础硕确碍礼祢祷祸离秃秆种积称税稳穷窃窍竖竞笔笼筑筛筹签简箩粮紧纠红约级纪纬纯纱纲纳纵纷纸纹纺线练组细织终绍经结绕绘给络绝统绣继绩绪续绳维绵综绿缓编缘缚缝缩缴网罗罚罢义习聋职联聪肃肠肤肾肿胀胁胜胶脏脑脸腊舰舱艺节芦苏苹荐荣药莱获萤营萧蓝蔼虏虑虚虫虽蚀蚁蚂补衬袭装裤见观规视览觉触誉计订认讨让训议讯记讲许论设访证评识诈诉诊词译试诗诚话诞询该详语误说请诸诺读课谁调谅谈谊谋谍谎谐谓谢谣谦谨谱谴豫贝贞负贡财责贤败货质贩贪贫购贯贱贴贵贷贸费贺贼资赋赌赏赐赔赖赚赛赞赠赵赶趋跃践踪躯车轨轩转轮软轰轻载较辅辆辈辉辑输辖辞边辽达迁过迈运还这进远违连迟适选逊递逻遗邓邮邻郑酝酱释鉴针钉钓钟钢钥钱铁铃铅银铺链销锁锅锋错锡锣锤锦键锻镇镜长门闪闭问闯闲间闷闸闹闻阀阁阅队阳阴阵阶际陆陈陕险随隐隶难雏雾静预领频颓颗题颜额风飘飞饥饭饮饰饱饲饼馆驱驶驻驾骂骄验骗骚骤鱼鲜鸟鸡鸣鸦鸭鸿鹅鹤麦黄齐齿龄龙';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** Parsers that also accept Simplified input on purpose (file → characters). */
const ACCEPTED_INPUT: Record<string, string> = {
  'src/domain/checks/eol/check-support.ts': '个',
};

function listFiles(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return listFiles(full, pattern);
    return pattern.test(name) && !name.endsWith('traditional-chinese.test.ts') ? [full] : [];
  });
}

function findSimplified(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  text.split('\n').forEach((line, index) => {
    for (const char of line) {
      if (SIMPLIFIED_ONLY.includes(char) && !(ACCEPTED_INPUT[file.slice(ROOT.length)] ?? '').includes(char)) found.push(`${file.slice(ROOT.length)}:${index + 1}: ${char}  ${line.trim().slice(0, 60)}`);
    }
  });
  return found;
}

describe('Traditional Chinese only', () => {
  it.each([
    ['the web app', join(ROOT, 'web/src'), /\.(ts|tsx)$/],
    ['the catalog', join(ROOT, 'catalog'), /\.ya?ml$/],
    ['server and CLI messages', join(ROOT, 'src/server'), /\.ts$/],
    ['the CLI', join(ROOT, 'src/cli'), /\.ts$/],
    ['domain messages', join(ROOT, 'src/domain'), /\.ts$/],
  ])('%s has no Simplified-only characters', (_name, dir, pattern) => {
    const hits = listFiles(dir as string, pattern as RegExp).flatMap(findSimplified);
    expect(hits).toEqual([]);
  });

  it('would notice one', () => {
    expect([...'这是网页'].filter((char) => SIMPLIFIED_ONLY.includes(char))).toEqual(['这', '网', '页']);
  });
});
